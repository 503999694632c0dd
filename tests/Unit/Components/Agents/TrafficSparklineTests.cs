using Bunit;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Traffic;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>The sparkline's drawing, and TrafficText showing and refreshing it.</summary>
public sealed class TrafficSparklineTests : BunitTestBase
{
    private readonly FakeDashboardClient _client = new();
    private readonly Guid _deployment = Guid.NewGuid();

    public TrafficSparklineTests()
    {
        Context.Services.AddSingleton<IDashboardClient>(_client);
        Interactive();
    }

    [Fact]
    public void Render_Series_OnePointPerBucketScaledToThePeakAndABarPerErrorMinute()
    {
        var series = new TrafficSeries(TrafficSeries.BucketWidth, [0, 10, 5, 0], [0, 0, 5, 0]);

        var cut = Context.Render<TrafficSparkline>(p => p.Add(x => x.Series, series).Add(x => x.Width, 32).Add(x => x.Height, 12));

        var points = cut.Find("polyline").GetAttribute("points")!.Split(' ');
        // x from 1 to 31 in three steps of 10; y from 11 (nothing) to 1 (the peak).
        Assert.Equal(["1,11", "11,1", "21,6", "31,11"], points);
        var bar = Assert.Single(cut.FindAll("[data-testid=spark-error]"));
        Assert.Equal("10", bar.GetAttribute("height")); // every request of that minute failed: full height
        Assert.Equal("Requests per minute, last 4 min: 15 in all, 5 errors, busiest minute 10", cut.Find("svg").GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_NoTraffic_AFlatLineAndNoErrorBars()
    {
        var cut = Context.Render<TrafficSparkline>(p => p.Add(x => x.Series, TrafficSeries.Empty));

        Assert.All(cut.Find("polyline").GetAttribute("points")!.Split(' '), p => Assert.EndsWith(",17", p, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=spark-error]"));
    }

    [Fact]
    public void TrafficText_QuietRowWithOlderTraffic_ShowsTheLineOnly()
    {
        _client.Series[_deployment] = new TrafficSeries(TrafficSeries.BucketWidth, [3, 0, 0], [0, 0, 0]);

        var cut = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment).Add(x => x.Quiet, true));

        Assert.Single(cut.FindAll("[data-testid=sparkline]"));
        Assert.Equal("", cut.Find("[data-testid=traffic-text]").TextContent.Trim());
    }

    [Fact]
    public void TrafficText_QuietRowNoTraffic_NoLine()
    {
        var cut = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment).Add(x => x.Quiet, true));

        Assert.Empty(cut.FindAll("[data-testid=sparkline]"));
    }

    [Fact]
    public void TrafficText_SeriesChanges_TheLineFollowsWithoutARerenderFromOutside()
    {
        _client.Series[_deployment] = new TrafficSeries(TrafficSeries.BucketWidth, [0, 0], [0, 0]);
        var cut = Context.Render<TrafficText>(p => p.Add(x => x.DeploymentId, _deployment)
            .Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(50)));
        var before = cut.Find("polyline").GetAttribute("points");

        _client.Series[_deployment] = new TrafficSeries(TrafficSeries.BucketWidth, [0, 8], [0, 2]);

        cut.WaitForAssertion(() => Assert.NotEqual(before, cut.Find("polyline").GetAttribute("points")), TimeSpan.FromSeconds(10));
        Assert.Single(cut.FindAll("[data-testid=spark-error]"));
    }
}
