using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>API tokens (admin): create (the text is returned this once), list (never the text), revoke.</summary>
public static class TokensEndpoints
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/tokens").RequireAuthorization(Policies.Admin).WithTags("Tokens");
        group.MapPost("", CreateAsync).Accepts<CreateTokenRequest>("application/json");
        group.MapGet("", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return endpoints;
    }

    public static async Task<Results<Created<CreatedTokenReply>, ProblemHttpResult>> CreateAsync(
        HttpRequest http, ApiTokens tokens, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (request, problem) = await ApiJson.ReadAsync<CreateTokenRequest>(http, optional: false, cancellationToken);
        if (problem is not null) return problem;
        TokenKind kind;
        if (string.Equals(request!.Kind, "personal", StringComparison.OrdinalIgnoreCase)) kind = TokenKind.Personal;
        else if (string.Equals(request.Kind, "agent", StringComparison.OrdinalIgnoreCase)) kind = TokenKind.Agent;
        else if (string.Equals(request.Kind, "ci", StringComparison.OrdinalIgnoreCase)) kind = TokenKind.Ci;
        else return Problems.Invalid("kind", "kind must be \"personal\", \"agent\" or \"ci\".");

        Role? role = null;
        if (!string.IsNullOrEmpty(request.Role))
        {
            if (ParseRole(request.Role) is not { } parsed) return Problems.Invalid("role", "role must be Viewer, Operator or Admin.");
            role = parsed;
        }

        var outcome = await tokens.CreateAsync(new NewToken(request.Name, kind, role, request.AgentName, request.ExpiresAt, request.SourceId),
            user.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        var created = outcome.Value!;
        var t = created.Token;
        return TypedResults.Created((string?)null,
            new CreatedTokenReply(t.Id, t.Name, KindName(t.Kind), t.Role?.ToString(), t.AgentName, t.Prefix, t.ExpiresAt, created.Text, t.SourceId));
    }

    public static async Task<Ok<List<TokenReply>>> ListAsync(ApiTokens tokens, CancellationToken cancellationToken)
    {
        var list = await tokens.ListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(TokenReply.From).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, ApiTokens tokens, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var tokenId, out var problem)) return problem!;
        var outcome = await tokens.RevokeAsync(tokenId, user.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }

    /// <summary>Names only: <c>Enum.TryParse</c> alone would also accept "2" or "Admin, Viewer".</summary>
    public static Role? ParseRole(string? text) =>
        Enum.GetValues<Role>().Cast<Role?>().FirstOrDefault(r => string.Equals(r.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string KindName(TokenKind kind) => kind switch { TokenKind.Agent => "agent", TokenKind.Ci => "ci", _ => "personal" };

    /// <summary><c>POST /api/tokens</c> body. <c>kind</c>: "personal" (needs <c>role</c>), "agent" (needs <c>agentName</c>) or "ci" (needs <c>sourceId</c>).</summary>
    public sealed record CreateTokenRequest(string? Name, string? Kind, string? AgentName, string? Role, DateTimeOffset? ExpiresAt, Guid? SourceId = null);

    /// <summary>The one reply that carries the token text.</summary>
    public sealed record CreatedTokenReply(Guid Id, string Name, string Kind, string? Role, string? AgentName, string Prefix,
        DateTime? ExpiresAt, string Token, Guid? SourceId);

    public sealed record TokenReply(Guid Id, string Name, string Kind, string? Role, string? AgentName, string Prefix,
        DateTime CreatedAt, string CreatedBy, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt, Guid? SourceId)
    {
        public static TokenReply From(TokenSummary t) => new(t.Id, t.Name, KindName(t.Kind), t.Role?.ToString(), t.AgentName,
            t.Prefix, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.SourceId);
    }
}
