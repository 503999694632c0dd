using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Core.Sources;
using Cutover.Dashboard.Sources;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Sources;

/// <summary>
/// The sync entry wired as the app wires it, over a real SQLite database, a real git repository and real Data
/// Protection; only the runtime is the fake one (it registers deployments through the real registration path).
/// </summary>
internal sealed class SourceSyncHarness : IDisposable
{
    public const string Image1 = "cutover/sample-agent:1.0";
    public const string Image2 = "cutover/sample-agent:2.0";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public SourceSyncHarness()
    {
        Db = new TestDatabase();
        Repo = new TestRepo();
        Runtime = new FakeRuntime(Db.Deployments);
        Deploys = new DeploymentLauncher(Db.Deployments, Db.Sync, Db.Chokepoint, Db.Bus, Runtime, Db.Factory,
            new StaticOptionsMonitor<RuntimeOptions>(new RuntimeOptions { ReadyTimeout = TimeSpan.FromSeconds(30) }),
            Db.Time, NullLogger<DeploymentLauncher>.Instance);
        Git = new GitCli(Path.Combine(Db.Directory, "sources"), TimeSpan.FromSeconds(60), NullLogger<GitCli>.Instance);
        Secrets = new DataProtectionSourceSecrets(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(Db.Directory, "keys"))));
        Sources = new SourceService(Db.Factory, Secrets, Db.Chokepoint, Git, Db.Time, Notifier);
        Syncs = NewSyncService();
    }

    public TestDatabase Db { get; }

    public SourceNotifier Notifier { get; } = new();

    public TestRepo Repo { get; }

    public FakeRuntime Runtime { get; }

    public DeploymentLauncher Deploys { get; }

    public GitCli Git { get; }

    public DataProtectionSourceSecrets Secrets { get; }

    public SourceService Sources { get; }

    public SourceSyncService Syncs { get; }

    /// <summary>Another instance over the same database and repositories: what a restarted Cutover would build.</summary>
    public SourceSyncService NewSyncService() => new(Db.Factory, Git, Secrets, Db.Chokepoint, Db.Sync, Deploys, Db.Deployments, Db.Time,
        Notifier, NullLogger<SourceSyncService>.Instance);

    public async Task<SourceView> CreateSourceAsync(string? repoUrl = null, string? accessToken = null)
    {
        var created = await Sources.CreateAsync(new NewSource("src-" + Guid.NewGuid().ToString("N")[..8], repoUrl ?? Repo.Path, "main",
            "cutover.yaml", "00:00:00", "hook-secret", accessToken), default);
        Assert.True(created.IsSuccess, created.Failure?.Detail);
        return created.Value!;
    }

    /// <summary>Runs one sync through the entry point and waits for it to end (not for the deploys it started).</summary>
    public async Task<SourceSyncResult> SyncAsync(Guid sourceId, CommitResolver? resolver = null, SyncTrigger trigger = SyncTrigger.Manual)
    {
        var ticket = await Syncs.RequestAsync(sourceId, trigger, resolver ?? new BranchHead(), default);
        Assert.NotNull(ticket);
        return await ticket.Completion.WaitAsync(Wait);
    }

    public static string Manifest(params (string Name, string Image, string? Promote)[] agents) =>
        "agents:\n" + string.Concat(agents.Select(a =>
            $"  - name: {a.Name}\n    image: {a.Image}\n    metadata: {{ team: t-{a.Name} }}\n" + (a.Promote is { } p ? $"    promote: {p}\n" : "")));

    public async Task<Agent> AgentAsync(string name)
    {
        await using var db = Db.Open();
        return await db.Agents.AsNoTracking().SingleAsync(a => a.Name == name);
    }

    public async Task<List<Deployment>> DeploymentsAsync(Guid agentId)
    {
        await using var db = Db.Open();
        return await db.Deployments.AsNoTracking().Where(d => d.AgentId == agentId).OrderBy(d => d.CreatedAt).ToListAsync();
    }

    public async Task<int> SyncingMarksAsync(Guid agentId)
    {
        await using var db = Db.Open();
        return await db.Events.AsNoTracking().CountAsync(e => e.AgentId == agentId && e.Kind == EventKind.SyncChanged && e.To == "Syncing");
    }

    public async Task<Source> SourceRowAsync(Guid id)
    {
        await using var db = Db.Open();
        return await db.Set<Source>().AsNoTracking().SingleAsync(s => s.Id == id);
    }

    public async Task<List<SourceSync>> HistoryAsync(Guid id)
    {
        await using var db = Db.Open();
        return await db.Set<SourceSync>().AsNoTracking().Where(s => s.SourceId == id).OrderBy(s => s.StartedAt).ThenBy(s => s.Id).ToListAsync();
    }

    /// <summary>Waits until the agent's sync round has ended (its deploy settled).</summary>
    public Task UntilSettledAsync(Guid agentId) =>
        StatusWait.UntilAsync(Db.Bus, agentId, async () => (await AgentAsync2(agentId)).Sync is SyncStatus.Synced or SyncStatus.OutOfSync, Wait, "the agent's sync to end");

    private async Task<Agent> AgentAsync2(Guid id)
    {
        await using var db = Db.Open();
        return await db.Agents.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    public void Dispose()
    {
        // Not the deploy service's drain: it also awaits every Ready deployment's process, which the fake never ends.
        Syncs.DrainAsync(CancellationToken.None).Wait(Wait);
        Repo.Dispose();
        Db.Dispose();
    }
}
