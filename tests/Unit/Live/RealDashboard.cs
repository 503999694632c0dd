using Cutover.Core.Deployments;
using Cutover.Core.Health;
using Cutover.Core.Queries;
using Cutover.Dashboard.Hosting;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Live;

/// <summary>The real dashboard seam over a test database, for tests that exercise it (or a component) end to end.</summary>
internal static class RealDashboard
{
    public static DashboardClient Create(TestDatabase db, DeploymentLauncher deploys, TimeProvider? time = null) =>
        new(new AgentQueries(db.Factory), new AuditQueries(db.Factory), db.Factory, db.Bus, db.Deployments, deploys,
            Feed(db, time), new CircuitConnection(), new DatabaseInfo("SQLite", db.Path), Node, time ?? TimeProvider.System,
            Traffic(time), new Core.Guards.GuardService(db.Chokepoint, db.Factory), NullLogger<DashboardClient>.Instance);

    /// <summary>Real traffic figures on the test's clock (nothing forwards RPCs here, so they stay empty unless a test records).</summary>
    public static Dashboard.Traffic.TrafficFigures Traffic(TimeProvider? time = null) =>
        new(time ?? TimeProvider.System, new Runtime.StaticOptionsMonitor<Dashboard.Routing.RoutingOptions>(new Dashboard.Routing.RoutingOptions()));

    /// <summary>This test process as a node (named by its host and process id, as by default).</summary>
    public static readonly Cutover.Dashboard.ScaleOut.NodeIdentity Node = new(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

    public static LastSeenFeed Feed(TestDatabase db, TimeProvider? time = null) =>
        new(db.Factory, time ?? TimeProvider.System, Options.Create(new HealthOptions()), NullLogger<LastSeenFeed>.Instance);
}
