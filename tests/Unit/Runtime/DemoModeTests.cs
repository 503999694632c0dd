using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Dashboard.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>Demo mode through the real runtime: live agents on the first run, and no duplicates on the next.</summary>
public sealed class DemoModeTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cutover-tests", "demo-" + Guid.NewGuid().ToString("N"));

    public DemoModeTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task DemoMode_TwoRuns_LiveAgentsAndNoDuplicates()
    {
        var first = await RunDemoAsync();
        var second = await RunDemoAsync();

        Assert.Equal(DemoCatalog.Agents.Select(a => a.Name).Order(), first.Agents.Order());
        Assert.Equal(first.Agents.Order(), second.Agents.Order());
        Assert.Equal(first.Deployments.Order(), second.Deployments.Order());
        Assert.Equal(DemoCatalog.Agents.Sum(a => a.Images.Count), first.Deployments.Count);
        foreach (var run in new[] { first, second })
        {
            Assert.Contains(run.States, s => s.Image.EndsWith(":1.1") && s.IsProduction && s.Status == DeploymentStatus.Ready && s.Running);
            Assert.Contains(run.States, s => s.Image.EndsWith(":2.0") && !s.IsProduction && s.Status == DeploymentStatus.Ready && s.Running);
            Assert.Contains(run.States, s => s.Image.EndsWith("-flaky") && s.IsProduction && s.Running);
            Assert.Contains(run.States, s => s.Image.EndsWith("-broken") && s.Status == DeploymentStatus.Failed && !s.Running);
        }
    }

    private async Task<DemoRun> RunDemoAsync()
    {
        using var app = new RuntimeAppFactory();
        app.With("ConnectionStrings:Cutover", $"Data Source={Path.Combine(_directory, "demo.db")}").With("Cutover:Demo:Enabled", "true");
        app.StartServer();

        var expected = DemoCatalog.Agents.Sum(a => a.Images.Count);
        List<DeploymentState> states = [];
        using var subscription = app.Bus.Subscribe();
        using var cts = new CancellationTokenSource(Wait);
        // Settled: every demo deployment exists, none is Pending or starting, and no agent is Syncing.
        while (true)
        {
            await using var db = app.OpenDb();
            // Deployments first: an agent row always exists before its deployments, so every deployment read here
            // finds its agent in the (later) agents read even while the demo is still creating both.
            var deployments = await db.Deployments.AsNoTracking().ToListAsync();
            var agents = await db.Agents.AsNoTracking().ToListAsync();
            states = deployments.Select(d => new DeploymentState(d.Id, agents.Single(a => a.Id == d.AgentId).Name, d.DockerImage.Value,
                d.Status, d.IsProduction, app.Deploys.Runtime.GetState(d.Id).Status == RuntimeStatus.Running)).ToList();
            var settled = states.Count == expected && agents.Count == DemoCatalog.Agents.Count
                && agents.All(a => a.Sync is SyncStatus.Synced or SyncStatus.OutOfSync)
                && states.All(s => s.Status == DeploymentStatus.Failed || s.Running)
                && DemoCatalog.Agents.Where(a => a.Promote is not null)
                    .All(a => states.Any(s => s.IsProduction && s.Agent == a.Name && s.Image == a.Promote));
            if (settled) return new DemoRun(agents.Select(a => a.Name).ToList(), deployments.Select(d => d.Id).ToList(), states);
            try
            {
                await subscription.Changes.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The demo did not settle: " + string.Join("; ", states));
            }
        }
    }

    private sealed record DeploymentState(Guid Id, string Agent, string Image, DeploymentStatus Status, bool IsProduction, bool Running);

    private sealed record DemoRun(List<string> Agents, List<Guid> Deployments, List<DeploymentState> States);
}
