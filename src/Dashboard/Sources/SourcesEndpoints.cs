using System.Security.Claims;
using Cutover.Core.Sources;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Sources;

/// <summary>API.md "Sources (git) and sync": admin CRUD, the Sync API (one entry point, branch head or a commit), history.</summary>
public static class SourcesEndpoints
{
    public const int HistoryLimit = 100;

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/sources").WithTags("Sources");
        group.MapPost("", CreateAsync).Accepts<CreateSourceRequest>("application/json").RequireAuthorization(Policies.Admin);
        group.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Admin);
        group.MapPost("/{id}/sync", SyncAsync).Accepts<SyncRequest>(isOptional: true, "application/json").RequireAuthorization(Policies.CiOrOperator);
        group.MapGet("/{id}/syncs", SyncsAsync).RequireAuthorization(Policies.Viewer);
        endpoints.MapSourceWebhooks();
        return endpoints;
    }

    public static async Task<Results<Created<SourceDto>, ProblemHttpResult>> CreateAsync(
        HttpRequest http, SourceService sources, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<CreateSourceRequest>(http, optional: false, cancellationToken);
        if (problem is not null) return problem;
        var outcome = await sources.CreateAsync(
            new NewSource(body!.Name, body.RepoUrl, body.Branch, body.Path, body.PollInterval, body.WebhookSecret, body.AccessToken), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        return TypedResults.Created($"/api/sources/{outcome.Value!.Id}", SourceDto.From(outcome.Value));
    }

    public static async Task<Ok<List<SourceDto>>> ListAsync(SourceService sources, CancellationToken cancellationToken) =>
        TypedResults.Ok((await sources.ListAsync(cancellationToken)).Select(SourceDto.From).ToList());

    public static async Task<Results<Ok<SourceDto>, ProblemHttpResult>> GetAsync(string id, SourceService sources, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var sourceId, out var problem)) return problem!;
        var s = await sources.GetAsync(sourceId, cancellationToken);
        return s is null ? Problems.NotFound($"No source with id {sourceId}.") : TypedResults.Ok(SourceDto.From(s));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, SourceService sources, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var sourceId, out var problem)) return problem!;
        var outcome = await sources.DeleteAsync(sourceId, user.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }

    /// <summary>
    /// The Sync API (operators, and CI with a ci token bound to this source): the one entry point, at the given commit
    /// or else the branch head.
    /// </summary>
    public static async Task<Results<Accepted<SyncAccepted>, ProblemHttpResult>> SyncAsync(
        string id, HttpRequest http, SourceSyncService syncs, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var sourceId, out var problem)) return problem!;
        var boundTo = user.BoundSourceId();
        if (boundTo is not null && boundTo != sourceId) return Problems.Forbidden("This ci token may only sync the source it is bound to.");
        var (body, bodyProblem) = await ApiJson.ReadAsync<SyncRequest>(http, optional: true, cancellationToken);
        if (bodyProblem is not null) return bodyProblem;
        if (SourceRules.Commit(body?.Commit) is { } invalid) return Problems.From(invalid);
        var trigger = boundTo is null ? SyncTrigger.Manual : SyncTrigger.Ci;
        var ticket = await syncs.RequestAsync(sourceId, trigger, CommitResolver.For(body?.Commit), cancellationToken);
        return ticket is null
            ? Problems.NotFound($"No source with id {sourceId}.")
            : TypedResults.Accepted($"/api/sources/{sourceId}/syncs", new SyncAccepted(ticket.SyncId));
    }

    public static async Task<Results<Ok<List<SourceSyncDto>>, ProblemHttpResult>> SyncsAsync(
        string id, SourceService sources, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var sourceId, out var problem)) return problem!;
        var syncs = await sources.SyncsAsync(sourceId, HistoryLimit, cancellationToken);
        return syncs is null ? Problems.NotFound($"No source with id {sourceId}.") : TypedResults.Ok(syncs.Select(SourceSyncDto.From).ToList());
    }
}
