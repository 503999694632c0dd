using System.Security.Claims;
using Cutover.Core.Notifications;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// API.md "Notifications (admin)": create, list (secrets never shown), remove; and the extensions "send a test"
/// (queued through the same outbox) and a subscription's recent deliveries.
/// </summary>
public static class NotificationsEndpoints
{
    public const int DeliveriesLimit = 50;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/notifications").RequireAuthorization(Policies.Admin).WithTags("Notifications");
        group.MapPost("", CreateAsync).Accepts<CreateNotificationRequest>("application/json");
        group.MapGet("", ListAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPost("/{id}/test", TestAsync);
        group.MapGet("/{id}/deliveries", DeliveriesAsync);
        return endpoints;
    }

    public static async Task<Results<Created<NotificationDto>, ProblemHttpResult>> CreateAsync(
        HttpRequest http, NotificationService notifications, UrlSafety urlSafety, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<CreateNotificationRequest>(http, optional: false, cancellationToken);
        if (problem is not null) return problem;
        var outcome = await NotificationRules.CreateAsync(notifications, urlSafety,
            new NewNotification(body!.Name, body.Url, body.Events, body.Secret), user.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        return TypedResults.Created($"/api/notifications/{outcome.Value!.Id}", NotificationDto.From(outcome.Value));
    }

    public static async Task<Ok<List<NotificationDto>>> ListAsync(NotificationService notifications, CancellationToken cancellationToken) =>
        TypedResults.Ok((await notifications.ListAsync(cancellationToken)).Select(NotificationDto.From).ToList());

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, NotificationService notifications, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var subscriptionId, out var problem)) return problem!;
        var outcome = await notifications.DeleteAsync(subscriptionId, cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<Accepted<DeliveryDto>, ProblemHttpResult>> TestAsync(
        string id, NotificationService notifications, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var subscriptionId, out var problem)) return problem!;
        var outcome = await notifications.SendTestAsync(subscriptionId, user.Actor(), cancellationToken);
        return outcome.IsSuccess
            ? TypedResults.Accepted($"/api/notifications/{subscriptionId}/deliveries", DeliveryDto.From(outcome.Value!))
            : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<Ok<List<DeliveryDto>>, ProblemHttpResult>> DeliveriesAsync(
        string id, NotificationService notifications, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var subscriptionId, out var problem)) return problem!;
        var list = await notifications.DeliveriesAsync(subscriptionId, DeliveriesLimit, cancellationToken);
        return list is null
            ? Problems.NotFound($"No notification subscription with id {subscriptionId}.")
            : TypedResults.Ok(list.Select(DeliveryDto.From).ToList());
    }
}
