using System.Security.Claims;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>Users (admin): create with a password that meets <see cref="PasswordPolicy"/>, list, delete.</summary>
public static class UsersEndpoints
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        group.MapPost("", CreateAsync).Accepts<CreateUserRequest>("application/json");
        group.MapGet("", ListAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return endpoints;
    }

    public static async Task<Results<Created<UserReply>, ProblemHttpResult>> CreateAsync(
        HttpRequest http, UserAccounts users, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (request, problem) = await ApiJson.ReadAsync<CreateUserRequest>(http, optional: false, cancellationToken);
        if (problem is not null) return problem;
        var role = TokensEndpoints.ParseRole(request!.Role);
        if (role is null) return Problems.Invalid("role", "role must be Viewer, Operator or Admin.");
        var outcome = await users.CreateAsync(request.UserName, request.Password, role, user.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.Created((string?)null, UserReply.From(outcome.Value!)) : Problems.From(outcome.Failure!);
    }

    public static async Task<Ok<List<UserReply>>> ListAsync(UserAccounts users, CancellationToken cancellationToken) =>
        TypedResults.Ok((await users.ListAsync(cancellationToken)).Select(UserReply.From).ToList());

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, UserAccounts users, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var userId, out var problem)) return problem!;
        var outcome = await users.DeleteAsync(userId, user.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }

    /// <summary><c>POST /api/users</c> body.</summary>
    public sealed record CreateUserRequest(string? UserName, string? Password, string? Role);

    /// <summary>A user: no password material, ever.</summary>
    public sealed record UserReply(Guid Id, string UserName, string Role, DateTime CreatedAt, DateTime? LockedUntil)
    {
        public static UserReply From(UserSummary u) => new(u.Id, u.UserName, u.Role.ToString(), u.CreatedAt, u.LockedUntil);
    }
}
