using System.Diagnostics;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Tests.Unit.Infrastructure;
using Xunit.Abstractions;

namespace Cutover.Tests.Unit.Queries;

/// <summary>The agents overview query against 5,000 agents in a real SQLite file: one page of rows plus one count.</summary>
public sealed class AgentQueriesTests(AgentQueriesTests.Fixture fx, ITestOutputHelper output) : IClassFixture<AgentQueriesTests.Fixture>
{
    private const int AgentCount = 5_000;

    [Fact]
    public async Task ListAsync_FiveThousandAgents_QueriesOnlyTheVisiblePageWithCount()
    {
        fx.Recorder.Clear();
        var watch = Stopwatch.StartNew();
        var page = await fx.Queries.ListAsync(new AgentListRequest(Skip: 100, Take: 50), CancellationToken.None);
        watch.Stop();
        output.WriteLine($"Agents page 3 of {AgentCount:N0} (50 rows + count): {watch.Elapsed.TotalMilliseconds:F1} ms");
        foreach (var sql in fx.Recorder.Commands) output.WriteLine(sql + "\n---");

        Assert.Equal(AgentCount, page.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.Equal("agent-00100", page.Items[0].Name);
        Assert.Equal("agent-00149", page.Items[^1].Name);
        Assert.Equal(2, fx.Recorder.Commands.Count);
        Assert.Single(fx.Recorder.Commands, sql => sql.StartsWith("SELECT COUNT(*)", StringComparison.Ordinal));
        var pageSql = Assert.Single(fx.Recorder.Commands, sql => !sql.StartsWith("SELECT COUNT(*)", StringComparison.Ordinal));
        Assert.Contains("LIMIT", pageSql, StringComparison.Ordinal);
        Assert.Contains("OFFSET", pageSql, StringComparison.Ordinal);
        // Bounded generously: a regression to loading every agent would take seconds, not this.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"The page took {watch.Elapsed.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task ListAsync_ProductionDeployment_ProjectsImageShortCommitAndLiveCount()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Search: "agent-00010", Take: 10), CancellationToken.None);

        var row = Assert.Single(page.Items);
        Assert.Equal("registry.local/agent-10:1", row.ProductionImage);
        Assert.Equal("c000100", row.ProductionCommit);
        // 1 + 10 % 4 = 3 live deployments; the deleted one is not counted.
        Assert.Equal(3, row.DeploymentCount);
        Assert.NotNull(row.ProductionDeploymentId);
    }

    [Fact]
    public async Task ListAsync_SearchInAnotherCase_MatchesNamesCaseInsensitively()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Search: "AGENT-0012", Take: 50), CancellationToken.None);

        Assert.Equal(10, page.Total);
        Assert.All(page.Items, r => Assert.StartsWith("agent-0012", r.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAsync_HealthAndSyncFilters_CountOnlyMatchingAgents()
    {
        var page = await fx.Queries.ListAsync(
            new AgentListRequest(Take: 20, Health: HealthStatus.Unhealthy, Sync: SyncStatus.OutOfSync), CancellationToken.None);

        // Unhealthy is i % 3 == 1 and OutOfSync is i % 4 == 1: together i % 12 == 1.
        Assert.Equal(Enumerable.Range(0, AgentCount).Count(i => i % 12 == 1), page.Total);
        Assert.Equal(20, page.Items.Count);
        Assert.All(page.Items, r =>
        {
            Assert.Equal(HealthStatus.Unhealthy, r.Health);
            Assert.Equal(SyncStatus.OutOfSync, r.Sync);
        });
    }

    [Fact]
    public async Task ListAsync_SortByDeploymentsDescending_PutsTheBusiestFirst()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Take: 5, Sort: AgentSort.Deployments, Descending: true), CancellationToken.None);

        Assert.All(page.Items, r => Assert.Equal(4, r.DeploymentCount));
        Assert.Equal("agent-00003", page.Items[0].Name);
    }

    [Fact]
    public async Task ListAsync_SortByHealth_PutsUnhealthyFirst()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Take: 3, Sort: AgentSort.Health), CancellationToken.None);

        Assert.All(page.Items, r => Assert.Equal(HealthStatus.Unhealthy, r.Health));
    }

    [Fact]
    public async Task ListAsync_SortByLastSeenDescending_PutsTheMostRecentFirst()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Take: 2, Sort: AgentSort.LastSeen, Descending: true), CancellationToken.None);

        Assert.Equal($"agent-{AgentCount - 1:D5}", page.Items[0].Name);
    }

    [Fact]
    public async Task ListAsync_SkipBeyondTheEnd_ReturnsNoRowsAndTheTotal()
    {
        var page = await fx.Queries.ListAsync(new AgentListRequest(Skip: AgentCount + 50), CancellationToken.None);

        Assert.Empty(page.Items);
        Assert.Equal(AgentCount, page.Total);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestDatabase _db = new();

        public SqlRecorder Recorder { get; } = new();

        public AgentQueries Queries { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            await using (var db = _db.Open()) await BulkAgents.SeedAsync(db, AgentCount);
            Queries = new AgentQueries(Recorder.Factory(_db.ConnectionString));
            // Warm up once so the measured call is a steady-state page load, not EF's first-query compilation.
            await Queries.ListAsync(new AgentListRequest(), CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            _db.Dispose();
            return Task.CompletedTask;
        }
    }
}
