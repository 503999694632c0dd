using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>
/// <c>GET /api/me</c> (an extension of API.md): who the caller acts as, for <c>cutover whoami</c> and for checking a
/// token at <c>cutover login</c>. Viewers and up; an agent token is refused like on every other non-agent route.
/// </summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/me", Get).RequireAuthorization(Policies.Viewer).WithTags("Tokens");
        return endpoints;
    }

    public static Ok<MeReply> Get(ClaimsPrincipal user)
    {
        var role = Enum.GetValues<Role>().Where(r => user.IsInRole(r.ToString())).Select(r => (Role?)r).Max();
        var kind = user.FindFirst(CutoverClaims.TokenId) is not null ? "token" : "user";
        return TypedResults.Ok(new MeReply(user.Identity?.Name ?? "", kind, role?.ToString(), user.Actor()));
    }

    /// <summary><c>kind</c>: "token" (a personal API token) or "user" (a signed-in person); <c>actor</c> as events record it.</summary>
    public sealed record MeReply(string Name, string Kind, string? Role, string Actor);
}
