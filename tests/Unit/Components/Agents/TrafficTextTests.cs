using Bunit;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Traffic;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>The deployments table's one-line traffic figures: what they say, and that they follow the figures live.</summary>
public sealed class TrafficTextTests : BunitTestBase
{
    private readonly FakeDashboardClient _client = new();
    private readonly Guid _deployment = Guid.NewGuid();

    public TrafficTextTests()
    {
        Context.Services.AddSingleton<IDashboardClient>(_client);
        Interactive();
    }

    [Fact]
    public void Render_NoTraffic_SaysSo()
    {
        var cut = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment));

        Assert.Equal("no RPCs in the last minute", cut.Find("[data-testid=traffic-text]").TextContent.Trim());
    }

    [Fact]
    public void Render_NoTrafficQuiet_SaysNothingUntilTheFirstCall()
    {
        var cut = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment).Add(x => x.Quiet, true));
        Assert.Equal("", cut.Find("[data-testid=traffic-text]").TextContent.Trim());

        _client.Traffic[_deployment] = new TrafficSnapshot(TrafficFigures.OneMinute, 2, 0, 0, 1.0, 2.0);
        cut.Render(p => p.Add(x => x.DeploymentId, _deployment).Add(x => x.Quiet, true));

        Assert.StartsWith("2 req/min", cut.Find("[data-testid=traffic-text]").TextContent.Trim());
    }

    [Fact]
    public void Render_WithTraffic_RequestsErrorRateAndP99_ErrorsMarked()
    {
        _client.Traffic[_deployment] = new TrafficSnapshot(TrafficFigures.OneMinute, 12, 1, 1.0 / 12, 3.2, 41.4);

        var text = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment)).Find("[data-testid=traffic-text]");

        Assert.Equal("12 req/min · 8.3 % errors · p99 41 ms", text.TextContent.Trim());
        Assert.Contains("traffic-errors", text.ClassList);
    }

    [Fact]
    public void Figures_Change_TheTextFollowsWithoutARerenderFromOutside()
    {
        _client.Traffic[_deployment] = new TrafficSnapshot(TrafficFigures.OneMinute, 3, 0, 0, 1.0, 2.5);
        var cut = Context.Render<TrafficText>(p => p
            .Add(x => x.DeploymentId, _deployment)
            .Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(50)));
        Assert.Equal("3 req/min · 0 % errors · p99 2.5 ms", cut.Find("[data-testid=traffic-text]").TextContent.Trim());
        Assert.DoesNotContain("traffic-errors", cut.Find("[data-testid=traffic-text]").ClassList);

        _client.Traffic[_deployment] = new TrafficSnapshot(TrafficFigures.OneMinute, 40, 40, 1, 900, 12_500);

        cut.WaitForAssertion(() =>
            Assert.Equal("40 req/min · 100 % errors · p99 12.5 s", cut.Find("[data-testid=traffic-text]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Contains("traffic-errors", cut.Find("[data-testid=traffic-text]").ClassList);
    }

    [Fact]
    public void DeploymentsTable_ShowsFiguresOnEveryLiveRow()
    {
        var production = Rows.Deployment("2.0.0", production: true, ageMinutes: 3);
        var ready = Rows.Deployment("3.0.0", ageMinutes: 1);
        _client.Traffic[production.Id] = new TrafficSnapshot(TrafficFigures.OneMinute, 7, 0, 0, 1.0, 4.0);

        var cut = Context.Render<DeploymentsTable>(p => p.Add(x => x.Deployments, [ready, production]).Add(x => x.Now, Rows.Now));

        Assert.Equal("7 req/min · 0 % errors · p99 4.0 ms", cut.Find("tr.row-production [data-testid=traffic-text]").TextContent.Trim());
        Assert.Equal(2, cut.FindAll("[data-testid=traffic-text]").Count);
    }
}
