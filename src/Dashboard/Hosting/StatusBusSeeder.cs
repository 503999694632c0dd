using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Hosting;

/// <summary>Loads every agent's current state into the bus at start-up, so the first subscriber's snapshot is whole.</summary>
internal sealed class StatusBusSeeder(IDbContextFactory<CutoverDbContext> dbFactory, StatusBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => LoadAsync(dbFactory, bus, cancellationToken);

    /// <summary>Every agent's state as the database has it now (later sequences win over what the bus holds).</summary>
    public static async Task LoadAsync(IDbContextFactory<CutoverDbContext> dbFactory, StatusBus bus, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = await Core.Queries.AgentFilter.Live(db.Agents.AsNoTracking()).ToListAsync(cancellationToken);
        bus.Seed(agents.Select(AgentLiveState.From));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
