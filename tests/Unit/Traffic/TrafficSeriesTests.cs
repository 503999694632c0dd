using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Traffic;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;

namespace Cutover.Tests.Unit.Traffic;

/// <summary>The per-minute series the sparklines draw and the last request time the idle clock reads, on a moved clock.</summary>
public sealed class TrafficSeriesTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Guid _agent = Guid.NewGuid();
    private readonly Guid _deployment = Guid.NewGuid();

    private TrafficFigures Figures() => new(_time, new StaticOptionsMonitor<RoutingOptions>(new RoutingOptions()));

    [Fact]
    public void Series_CallsInDifferentMinutes_OneBucketEachOldestFirstErrorsCounted()
    {
        var figures = Figures();
        Record(figures, 4, failed: false);                   // 12:00
        _time.Advance(TimeSpan.FromMinutes(2));
        Record(figures, 2, failed: true);                    // 12:02
        Record(figures, 1, failed: false);
        _time.Advance(TimeSpan.FromMinutes(3));              // now 12:05, nothing yet this minute

        var series = figures.Series(_deployment);

        Assert.Equal(15, series.Requests.Count);
        Assert.Equal(TimeSpan.FromMinutes(1), series.Width);
        // The last bucket is 12:05; 12:02 is three before it, 12:00 five before it.
        var expectedRequests = new long[15];
        expectedRequests[14 - 5] = 4;
        expectedRequests[14 - 3] = 3;
        var expectedErrors = new long[15];
        expectedErrors[14 - 3] = 2;
        Assert.Equal(expectedRequests, series.Requests);
        Assert.Equal(expectedErrors, series.Errors);
        Assert.Equal(7, series.Total);
    }

    [Fact]
    public void Series_AfterFifteenMinutes_OldBucketsLeave()
    {
        var figures = Figures();
        Record(figures, 3, failed: false);
        _time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(3, figures.Series(_deployment).Requests[0]);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, figures.Series(_deployment).Total);
        Assert.True(figures.Series(Guid.NewGuid()).SameAs(TrafficSeries.Empty));
    }

    [Fact]
    public void LastRequestAt_NoneThenTheNewestCall()
    {
        var figures = Figures();
        Assert.Null(figures.LastRequestAt(_deployment));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, figures.CountingSince);

        _time.Advance(TimeSpan.FromSeconds(42));
        Record(figures, 1, failed: false);

        Assert.Equal(_time.GetUtcNow().UtcDateTime, figures.LastRequestAt(_deployment));
    }

    [Fact]
    public void TakeUnstamped_OnlyDeploymentsCalledSinceTheLastRound()
    {
        var figures = Figures();
        var other = Guid.NewGuid();
        Record(figures, 2, failed: false);
        figures.Record(_agent, other, false, TimeSpan.FromMilliseconds(1));

        var first = figures.TakeUnstamped();
        var second = figures.TakeUnstamped();
        _time.Advance(TimeSpan.FromSeconds(3));
        Record(figures, 1, failed: false);
        var third = figures.TakeUnstamped();

        Assert.Equal(new[] { _deployment, other }.Order(), first.Select(x => x.DeploymentId).Order());
        Assert.Empty(second);
        Assert.Equal([(_deployment, _time.GetUtcNow().UtcDateTime)], third);
    }

    [Fact]
    public void SameAs_ComparesContentsNotReferences()
    {
        var a = new TrafficSeries(TrafficSeries.BucketWidth, [1, 2], [0, 1]);
        Assert.True(a.SameAs(new TrafficSeries(TrafficSeries.BucketWidth, [1, 2], [0, 1])));
        Assert.False(a.SameAs(new TrafficSeries(TrafficSeries.BucketWidth, [1, 2], [0, 0])));
        Assert.False(a.SameAs(null));
    }

    private void Record(TrafficFigures figures, int count, bool failed)
    {
        for (var i = 0; i < count; i++) figures.Record(_agent, _deployment, failed, TimeSpan.FromMilliseconds(5));
    }
}
