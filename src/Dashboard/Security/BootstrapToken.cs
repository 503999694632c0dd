using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Security;

/// <summary>
/// <c>Cutover:Auth:BootstrapToken</c>: when set, an admin token with exactly that text exists (created, or its hash
/// refreshed) so automation and tests can act without a person. The text itself is never stored or logged.
/// </summary>
internal sealed class BootstrapToken(
    IConfiguration configuration,
    IDbContextFactory<CutoverDbContext> dbFactory,
    TimeProvider time,
    ILogger<BootstrapToken> logger) : IHostedService
{
    public const string Key = "Cutover:Auth:BootstrapToken";
    public const string TokenName = "bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) return;
        if (text.Length < 32)
        {
            throw new InvalidOperationException($"{Key} must be at least 32 characters; a short shared secret is guessable.");
        }

        var hash = TokenSecrets.Hash(text);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiTokens.FirstOrDefaultAsync(t => t.Name == TokenName && t.Kind == TokenKind.Personal && t.CreatedBy == "system", cancellationToken);
        if (existing is null)
        {
            db.ApiTokens.Add(new ApiToken(Guid.CreateVersion7(), TokenName, TokenKind.Personal, Role.Admin, null,
                TokenSecrets.Prefix(text), hash, time.GetUtcNow().UtcDateTime, null, "system"));
        }
        else
        {
            existing.Hash = hash;
            existing.RevokedAt = null;
            existing.ExpiresAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Bootstrap admin token is configured");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
