using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>Inserts token rows the way the tokens API stores them (hash only) and returns the token text.</summary>
public static class ApiTokens
{
    public static async Task<string> CreateAsync(IServiceProvider services, Role? role, string? agentName = null)
    {
        var kind = agentName is null ? TokenKind.Personal : TokenKind.Agent;
        var text = TokenSecrets.NewToken(kind);
        var factory = services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken(Guid.NewGuid(), $"test-{Guid.NewGuid():N}"[..20], kind, agentName is null ? role : null, agentName,
            TokenSecrets.Prefix(text), TokenSecrets.Hash(text), DateTime.UtcNow, null, "test"));
        await db.SaveChangesAsync();
        return text;
    }
}
