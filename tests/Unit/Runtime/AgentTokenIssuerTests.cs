using Cutover.Core.Domain;
using Cutover.Dashboard.Runtime;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using TokenService = Cutover.Dashboard.Security.ApiTokens;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// The runtime's agent tokens are audited like every other token: minting writes TokenCreated, replacing a token
/// from an earlier run writes TokenRevoked, both by system:runtime and naming the token without its text.
/// </summary>
public sealed class AgentTokenIssuerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task GetAsync_AgentNameAsLongAsAllowed_TokenNameFitsAndStaysOnePerAgent()
    {
        var longA = new string('a', Agent.NameMaxLength);
        var longB = new string('a', Agent.NameMaxLength - 1) + "b";
        var issuer = NewIssuer(new TokenCache(_db.Time));

        await issuer.GetAsync(longA, default);
        await issuer.GetAsync(longB, default);

        await using var db = _db.Open();
        var names = await db.ApiTokens.AsNoTracking().Select(t => t.Name).ToListAsync();
        Assert.All(names, n => Assert.InRange(n.Length, 1, ApiToken.NameMaxLength));
        Assert.Equal(2, names.Distinct().Count());
        Assert.Equal(AgentTokenIssuer.TokenName(longA), AgentTokenIssuer.TokenName(longA));
        Assert.Equal("runtime:audit-bot", AgentTokenIssuer.TokenName("audit-bot"));
    }

    [Fact]
    public async Task GetAsync_FirstUse_AuditsTokenCreatedBySystemRuntimeWithoutTheText()
    {
        var issuer = NewIssuer(new TokenCache(_db.Time));

        var text = await issuer.GetAsync("audit-bot", default);

        await using var db = _db.Open();
        var row = await db.ApiTokens.AsNoTracking().SingleAsync();
        Assert.Equal(AgentTokenIssuer.TokenName("audit-bot"), row.Name);
        Assert.Equal(AgentTokenIssuer.CreatedBy, row.CreatedBy);
        var created = Assert.Single(await db.Events.AsNoTracking().ToListAsync());
        Assert.Equal(EventKind.TokenCreated, created.Kind);
        Assert.Equal("system:runtime", created.Actor);
        Assert.Null(created.AgentId);
        Assert.Equal($"runtime:audit-bot ({row.Prefix}…)", created.To);
        Assert.Equal("agent token for audit-bot", created.Reason);
        AssertNoSecret(created, text, row.Hash);
    }

    [Fact]
    public async Task GetAsync_SecondUseInOneRun_SameTokenAndNoNewEvent()
    {
        var issuer = NewIssuer(new TokenCache(_db.Time));

        var first = await issuer.GetAsync("cached-bot", default);
        var second = await issuer.GetAsync("cached-bot", default);

        Assert.Equal(first, second);
        await using var db = _db.Open();
        Assert.Equal(1, await db.ApiTokens.CountAsync());
        Assert.Single(await db.Events.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task GetAsync_AfterRestart_RevokesTheStaleTokenAuditedAndForgetsIt()
    {
        var cache = new TokenCache(_db.Time);
        var before = await NewIssuer(cache).GetAsync("restart-bot", default);
        Guid staleId;
        await using (var db = _db.Open())
        {
            var stale = await db.ApiTokens.AsNoTracking().SingleAsync();
            staleId = stale.Id;
            cache.Remember(stale.Hash, stale, cache.Generation);
        }

        // A new issuer over the same database is what the next run of the dashboard builds.
        var after = await NewIssuer(cache).GetAsync("restart-bot", default);

        Assert.NotEqual(before, after);
        Assert.Null(cache.Find(TokenSecrets.Hash(before)));
        await using var check = _db.Open();
        var rows = await check.ApiTokens.AsNoTracking().ToListAsync();
        var old = rows.Single(t => t.Id == staleId);
        var current = rows.Single(t => t.Id != staleId);
        Assert.NotNull(old.RevokedAt);
        Assert.Null(current.RevokedAt);
        Assert.Equal(TokenSecrets.Hash(after), current.Hash);

        var events = await check.Events.AsNoTracking().ToListAsync();
        var revoked = Assert.Single(events, e => e.Kind == EventKind.TokenRevoked);
        Assert.Equal("system:runtime", revoked.Actor);
        Assert.Equal($"runtime:restart-bot ({old.Prefix}…)", revoked.To);
        Assert.Equal(AgentTokenIssuer.ReplacedReason, revoked.Reason);
        var created = events.Where(e => e.Kind == EventKind.TokenCreated).ToList();
        Assert.Equal(2, created.Count);
        Assert.Contains(created, e => e.To == $"runtime:restart-bot ({current.Prefix}…)" && e.Actor == "system:runtime");
        foreach (var e in events)
        {
            AssertNoSecret(e, before, old.Hash);
            AssertNoSecret(e, after, current.Hash);
        }
    }

    [Fact]
    public async Task GetAsync_AfterRestart_LeavesOtherAgentsAndHandMadeTokensAlone()
    {
        await NewIssuer(new TokenCache(_db.Time)).GetAsync("one-bot", default);
        var tokens = NewTokenService(new TokenCache(_db.Time));
        var handMade = await tokens.CreateAsync(
            new NewToken(AgentTokenIssuer.TokenName("two-bot"), TokenKind.Agent, null, "two-bot", null), "user:alice", default);
        Assert.True(handMade.IsSuccess, handMade.Failure?.Detail);

        await NewIssuer(new TokenCache(_db.Time)).GetAsync("two-bot", default);

        await using var db = _db.Open();
        var live = await db.ApiTokens.AsNoTracking().Where(t => t.RevokedAt == null).Select(t => t.CreatedBy + " " + t.Name).ToListAsync();
        Assert.Equal(["system:runtime runtime:one-bot", "system:runtime runtime:two-bot", "user:alice runtime:two-bot"], live.Order());
        Assert.DoesNotContain(await db.Events.AsNoTracking().ToListAsync(), e => e.Kind == EventKind.TokenRevoked);
    }

    [Fact]
    public async Task GetAsync_WhileAStatusWriteHoldsTheGate_MintsOnceTheWriteCommits()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("gate-bot", null, "test", default);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", "held", async (t, _) =>
        {
            inside.TrySetResult();
            await release.Task;
            return t.SetSync(SyncStatus.Syncing) is { } f ? f : true;
        });
        await inside.Task.WaitAsync(Wait);

        // A status write holds the gate while its change runs, so minting must wait for it, not run inside it.
        var mint = NewIssuer(new TokenCache(_db.Time)).GetAsync("gate-bot", default);
        Assert.False(mint.IsCompleted);
        release.SetResult();

        Assert.True((await write.WaitAsync(Wait)).IsSuccess);
        var text = await mint.WaitAsync(Wait);
        await using var db = _db.Open();
        Assert.Equal(TokenSecrets.Hash(text), (await db.ApiTokens.AsNoTracking().SingleAsync()).Hash);
        Assert.Single(await db.Events.AsNoTracking().ToListAsync(), e => e.Kind == EventKind.TokenCreated);
    }

    private AgentTokenIssuer NewIssuer(TokenCache cache) => new(NewTokenService(cache));

    private TokenService NewTokenService(TokenCache cache)
    {
        var hubs = new Cutover.Dashboard.Security.HubConnections();
        // One node (SQLite): the relay has nobody to tell.
        var relay = new Cutover.Dashboard.ScaleOut.SecurityRelay(_db.Factory,
            new Cutover.Dashboard.ScaleOut.NodeIdentity(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()), cache, hubs,
            NullLogger<Cutover.Dashboard.ScaleOut.SecurityRelay>.Instance);
        return new(_db.Factory, _db.Gate, cache, hubs, relay, _db.Time, NullLogger<TokenService>.Instance);
    }

    private static void AssertNoSecret(TimelineEvent e, string text, string hash)
    {
        foreach (var field in new[] { e.Actor, e.Reason, e.From, e.To })
        {
            Assert.DoesNotContain(text, field ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(hash, field ?? "", StringComparison.Ordinal);
        }
    }
}
