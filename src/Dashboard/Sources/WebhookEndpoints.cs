using System.Text.Json;
using Cutover.Core.Persistence;
using Cutover.Core.Sources;
using Cutover.Dashboard.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Sources;

/// <summary>
/// The webhook triggers. Anonymous but HMAC-verified with the source's secret (constant-time comparison) before the
/// body is even parsed: a missing or wrong signature is 401. Both call the one sync entry point; a GitHub push
/// carries its SHA (a static commit), a generic webhook may carry one or else syncs the branch head.
/// </summary>
public static class WebhookEndpoints
{
    public const int MaxBodyBytes = 5 * 1024 * 1024;
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    public static IEndpointRouteBuilder MapSourceWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous();
        group.MapPost("/github/{sourceId}", GitHubAsync);
        group.MapPost("/generic/{sourceId}", GenericAsync);
        return endpoints;
    }

    public static async Task<Results<Accepted<SyncAccepted>, NoContent, UnauthorizedHttpResult, ProblemHttpResult>> GitHubAsync(
        string sourceId, HttpRequest http, IDbContextFactory<CutoverDbContext> dbFactory, ISourceSecrets secrets, SourceSyncService syncs,
        CancellationToken cancellationToken)
    {
        var (source, body, failure) = await VerifyAsync(sourceId, http, "X-Hub-Signature-256", dbFactory, secrets, cancellationToken);
        if (failure is not null) return failure.Result switch
        {
            UnauthorizedHttpResult u => u,
            ProblemHttpResult p => p,
            _ => TypedResults.Unauthorized(),
        };

        var kind = http.Headers["X-GitHub-Event"].ToString();
        if (!string.Equals(kind, "push", StringComparison.Ordinal)) return TypedResults.NoContent();
        string? reference, after;
        try
        {
            using var doc = JsonDocument.Parse(body);
            reference = doc.RootElement.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            after = doc.RootElement.TryGetProperty("after", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException)
        {
            return Problems.Invalid("body", "The push event is not valid JSON.");
        }

        // Another branch, a tag, or a deleted branch (after = zeros): nothing to sync.
        if (reference != $"refs/heads/{source!.Branch}" || after is null || after == ZeroSha) return TypedResults.NoContent();
        if (SourceRules.Commit(after, "after") is { } invalid) return Problems.From(invalid);
        var ticket = await syncs.RequestAsync(source.Id, SyncTrigger.Webhook, new StaticCommit(after), cancellationToken);
        return ticket is null ? TypedResults.NoContent() : TypedResults.Accepted($"/api/sources/{source.Id}/syncs", new SyncAccepted(ticket.SyncId));
    }

    public static async Task<Results<Accepted<SyncAccepted>, UnauthorizedHttpResult, ProblemHttpResult>> GenericAsync(
        string sourceId, HttpRequest http, IDbContextFactory<CutoverDbContext> dbFactory, ISourceSecrets secrets, SourceSyncService syncs,
        CancellationToken cancellationToken)
    {
        var (source, body, failure) = await VerifyAsync(sourceId, http, "X-Cutover-Signature", dbFactory, secrets, cancellationToken);
        if (failure is not null) return failure.Result switch
        {
            ProblemHttpResult p => p,
            _ => TypedResults.Unauthorized(),
        };

        string? commit = null;
        if (body.Length > 0)
        {
            try
            {
                commit = JsonSerializer.Deserialize<SyncRequest>(body, ApiJson.Options)?.Commit;
            }
            catch (JsonException)
            {
                return Problems.Invalid("body", "The body must be a JSON object like { \"commit\": \"<sha>\" } or empty.");
            }
        }

        if (SourceRules.Commit(commit) is { } invalid) return Problems.From(invalid);
        var ticket = await syncs.RequestAsync(source!.Id, SyncTrigger.Webhook, CommitResolver.For(commit), cancellationToken);
        return ticket is null
            ? Problems.NotFound($"No source with id {source.Id}.")
            : TypedResults.Accepted($"/api/sources/{source.Id}/syncs", new SyncAccepted(ticket.SyncId));
    }

    private sealed record Refusal(IResult Result);

    private static async Task<(Source? Source, byte[] Body, Refusal? Failure)> VerifyAsync(string sourceId, HttpRequest http, string header,
        IDbContextFactory<CutoverDbContext> dbFactory, ISourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(sourceId, out var id)) return (null, [], new Refusal(Problems.Invalid("sourceId", "'sourceId' must be a GUID.")));
        if (http.ContentLength > MaxBodyBytes) return (null, [], new Refusal(TooLarge()));
        Source? source;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            source = await db.Set<Source>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        }

        // An unknown source, or one without a secret, can verify nothing: the same 401 as a wrong signature.
        if (source?.ProtectedWebhookSecret is not { } protectedSecret) return (null, [], new Refusal(TypedResults.Unauthorized()));
        var body = await ReadBodyAsync(http, cancellationToken);
        if (body is null) return (null, [], new Refusal(TooLarge()));
        string secret;
        try
        {
            secret = secrets.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key that encrypted it is gone (a lost key ring): nothing can be verified until the secret is set again.
            return (null, [], new Refusal(Problems.Make(StatusCodes.Status503ServiceUnavailable, "Secret unreadable",
                "The source's webhook secret cannot be decrypted with the current keys; create the source again with its secret.", null)));
        }

        if (!WebhookSignature.IsValid(secret, body, http.Headers[header].ToString()))
            return (null, [], new Refusal(TypedResults.Unauthorized()));
        return (source, body, null);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body must be at most {MaxBodyBytes} bytes.", "body");
}
