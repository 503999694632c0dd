using Cutover.Tests.Unit.Deployments;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Core.Runtime;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>
/// A real SQLite database with the real chokepoint, deploy service, agent deletion and provisioning steps, over the
/// fake runtime (no processes) and the fault seam. <see cref="Restart"/> builds a second "process" over the same
/// database, for crash tests.
/// </summary>
internal sealed class ProvisioningHarness : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    public const string Image = "cutover/sample-agent:1.0";
    public const string HangImage = "cutover/sample-agent:9.9-stuck";
    public const string BrokenImage = "cutover/sample-agent:2.1-broken";
    public const string RefusedImage = "cutover/sample-agent:0.0-refused";

    private readonly TimeSpan _readyTimeout;
    private readonly TimeSpan _wakeTimeout;

    public ProvisioningHarness(TimeSpan? readyTimeout = null, TimeSpan? wakeTimeout = null, TestDatabase? db = null)
    {
        _readyTimeout = readyTimeout ?? TimeSpan.FromSeconds(30);
        _wakeTimeout = wakeTimeout ?? TimeSpan.FromSeconds(60);
        Db = db ?? new TestDatabase();
        var fake = new FakeRuntime(Db.Deployments);
        fake.ImageBehaviour[HangImage] = FakeRuntime.Behaviour.Hang;
        fake.ImageBehaviour[BrokenImage] = FakeRuntime.Behaviour.ExitBeforeRegistering;
        fake.ImageBehaviour[RefusedImage] = FakeRuntime.Behaviour.Refuse;
        Runtime = new FaultRuntime(fake);
        Deploys = DeploymentLauncherTests.Create(Db, Runtime, _readyTimeout);
        Deletion = new AgentDeletion(Db.Chokepoint, Db.Factory, Runtime, Options.Create(new DeploymentOptions()));
        Steps = new FaultySteps(new ProvisioningSteps(Db.Chokepoint, Deploys, Deletion), Db.Factory);
        Service = new ProvisioningService(Db.Factory, Db.Chokepoint, Steps,
            new StaticOptionsMonitor<ProvisioningOptions>(new ProvisioningOptions { WakeTimeout = _wakeTimeout }), TimeProvider.System,
            NullLogger<ProvisioningService>.Instance);
    }

    public TestDatabase Db { get; }

    public FaultRuntime Runtime { get; }

    public DeploymentLauncher Deploys { get; }

    public AgentDeletion Deletion { get; }

    public FaultySteps Steps { get; }

    public ProvisioningService Service { get; }

    /// <summary>A new "process" over the same database: new services, new runtime (the old one's processes died with it).</summary>
    public ProvisioningHarness Restart() => new(_readyTimeout, _wakeTimeout, Db);

    public static ProvisioningSpec Spec(int agents, int maxConcurrent = 4, OnFailure onFailure = OnFailure.Teardown, bool dryRun = false,
        string prefix = "fleet", string image = Image) =>
        new($"{prefix}-run", Enumerable.Range(0, agents)
                .Select(i => new AgentSpec($"{prefix}-{i}", DockerImage.Parse(image), $"agent {i}", $$"""{"n":{{i}}}""")).ToList(),
            maxConcurrent, onFailure, dryRun);

    public async Task<RunView> StartAsync(ProvisioningSpec spec)
    {
        var started = await Service.StartAsync(spec, "user:alice", default);
        Assert.True(started.IsSuccess, string.Join("; ", started.Problems.Select(p => p.Detail)));
        return started.Run!;
    }

    /// <summary>Waits for every piece of the run's work in this process to end, then reads the run.</summary>
    public async Task<RunView> SettledAsync(Guid runId)
    {
        await Service.WaitAsync(runId, default).WaitAsync(Wait);
        return (await Service.GetAsync(runId, default))!;
    }

    /// <summary>
    /// Orphans: agents that are not deleted, or runtime processes that run, that no ledger row holds. Agents in
    /// <paramref name="known"/> existed before the runs and are not the runs' business.
    /// </summary>
    public async Task<List<string>> OrphansAsync(params Guid[] known)
    {
        await using var db = Db.Open();
        var ledgerAgents = (await db.LedgerEntries.Where(e => e.AgentId != null).Select(e => e.AgentId!.Value).ToListAsync()).ToHashSet();
        var ledgerDeployments = (await db.LedgerEntries.Where(e => e.DeploymentId != null).Select(e => e.DeploymentId!.Value).ToListAsync()).ToHashSet();
        var orphans = await db.Agents.Where(a => a.DeletedAt == null).Select(a => new { a.Id, a.Name }).ToListAsync();
        var result = orphans.Where(a => !ledgerAgents.Contains(a.Id) && !known.Contains(a.Id)).Select(a => $"agent {a.Name}").ToList();
        var knownDeployments = (await db.Deployments.Where(d => known.Contains(d.AgentId)).Select(d => d.Id).ToListAsync()).ToHashSet();
        result.AddRange(Runtime.Running().Where(id => !ledgerDeployments.Contains(id) && !knownDeployments.Contains(id)).Select(id => $"process {id}"));
        return result;
    }

    /// <summary>What of the run's ledger still exists: live agents, live deployments, running processes.</summary>
    public async Task<List<string>> RemainsOfAsync(Guid runId)
    {
        await using var db = Db.Open();
        var rows = await db.LedgerEntries.Where(e => e.RunId == runId).ToListAsync();
        var agentIds = rows.Where(r => r.AgentId != null).Select(r => r.AgentId!.Value).ToList();
        var remains = await db.Agents.Where(a => agentIds.Contains(a.Id) && a.DeletedAt == null).Select(a => "agent " + a.Name).ToListAsync();
        remains.AddRange(await db.Deployments.Where(d => agentIds.Contains(d.AgentId) && d.ExpiresAt == null).Select(d => "deployment " + d.Id).ToListAsync());
        var deploymentIds = await db.Deployments.Where(d => agentIds.Contains(d.AgentId)).Select(d => d.Id).ToListAsync();
        remains.AddRange(deploymentIds.Where(id => Runtime.GetState(id).Status == RuntimeStatus.Running).Select(id => $"process {id}"));
        return remains;
    }

    public void Dispose() => Db.Dispose();
}
