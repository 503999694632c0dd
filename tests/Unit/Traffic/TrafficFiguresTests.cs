using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Traffic;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;

namespace Cutover.Tests.Unit.Traffic;

/// <summary>
/// The in-memory figures on a clock the test moves (the start, 12:00:00, is on a bucket edge of both rings):
/// counts, windows sliding and expiring, percentiles within the bins' error, totals under concurrent recording,
/// and the cap on tracked deployments.
/// </summary>
public sealed class TrafficFiguresTests
{
    /// <summary>The most a bin's midpoint can be off any value in it (half a bin of 1/8 of its power of two).</summary>
    private const double BinError = 1.0 / 16;

    private readonly ManualTimeProvider _time = new();
    private readonly Guid _agent = Guid.NewGuid();
    private readonly Guid _deployment = Guid.NewGuid();

    private TrafficFigures Figures(int maxDeployments = 1000) =>
        new(_time, new StaticOptionsMonitor<RoutingOptions>(new RoutingOptions { TrafficFiguresMaxDeployments = maxDeployments }));

    [Fact]
    public void Read_KnownSequence_CountsErrorsRateAndPercentiles()
    {
        var figures = Figures();
        // 1..100 ms; every tenth call failed.
        for (var i = 1; i <= 100; i++) figures.Record(_agent, _deployment, i % 10 == 0, TimeSpan.FromMilliseconds(i));

        foreach (var window in TrafficFigures.Windows)
        {
            var s = figures.Read(_deployment, window);
            Assert.Equal(window, s.Window);
            Assert.Equal(100, s.Requests);
            Assert.Equal(10, s.Errors);
            Assert.Equal(0.1, s.ErrorRate, 10);
            AssertNear(50, s.P50Ms);
            AssertNear(99, s.P99Ms);
        }
    }

    [Fact]
    public void Read_NothingRecorded_ZerosAndNoLatency()
    {
        var s = Figures().Read(_deployment, TrafficFigures.OneMinute);
        Assert.Equal(new TrafficSnapshot(TrafficFigures.OneMinute, 0, 0, 0, null, null), s);
    }

    [Fact]
    public void Read_AsTimePasses_OldCallsLeaveEachWindow()
    {
        var figures = Figures();
        Record(figures, 5, failed: true, TimeSpan.FromMilliseconds(100));    // 12:00:00
        _time.Advance(TimeSpan.FromSeconds(30));
        Record(figures, 3, failed: false, TimeSpan.FromMilliseconds(2));     // 12:00:30

        _time.Advance(TimeSpan.FromSeconds(29));                             // 12:00:59: both in the last minute
        var minute = figures.Read(_deployment, TrafficFigures.OneMinute);
        Assert.Equal((8, 5), (minute.Requests, minute.Errors));
        AssertNear(100, minute.P99Ms);

        _time.Advance(TimeSpan.FromSeconds(6));                              // 12:01:05: the first five are out
        minute = figures.Read(_deployment, TrafficFigures.OneMinute);
        Assert.Equal((3, 0, 0.0), (minute.Requests, minute.Errors, minute.ErrorRate));
        AssertNear(2, minute.P99Ms);
        var quarter = figures.Read(_deployment, TrafficFigures.FifteenMinutes);
        Assert.Equal((8, 5), (quarter.Requests, quarter.Errors));
        Assert.Equal(5.0 / 8, quarter.ErrorRate, 10);

        _time.Advance(TimeSpan.FromSeconds(60));                             // 12:02:05: nothing in the last minute
        Assert.Equal(TrafficSnapshot.Empty(TrafficFigures.OneMinute), figures.Read(_deployment, TrafficFigures.OneMinute));
        Assert.Equal(8, figures.Read(_deployment, TrafficFigures.FifteenMinutes).Requests);

        _time.Advance(TimeSpan.FromMinutes(13));                             // 12:15:05: all eight were in minute 12:00
        Assert.Equal(TrafficSnapshot.Empty(TrafficFigures.FifteenMinutes), figures.Read(_deployment, TrafficFigures.FifteenMinutes));

        // A reused slot starts from zero: a call now counts alone.
        Record(figures, 1, failed: false, TimeSpan.FromMilliseconds(7));
        Assert.Equal(1, figures.Read(_deployment, TrafficFigures.OneMinute).Requests);
        Assert.Equal(1, figures.Read(_deployment, TrafficFigures.FifteenMinutes).Requests);
    }

    [Fact]
    public void Read_DeploymentsAreKeptApart()
    {
        var figures = Figures();
        var other = Guid.NewGuid();
        Record(figures, 4, failed: false, TimeSpan.FromMilliseconds(1));
        figures.Record(_agent, other, true, TimeSpan.FromSeconds(3));
        Assert.Equal((4, 0), (figures.Read(_deployment, TrafficFigures.OneMinute).Requests, figures.Read(_deployment, TrafficFigures.OneMinute).Errors));
        var s = figures.Read(other, TrafficFigures.OneMinute);
        Assert.Equal((1, 1, 1.0), (s.Requests, s.Errors, s.ErrorRate));
        AssertNear(3000, s.P50Ms);
    }

    [Fact]
    public void Percentiles_OfSpreadLatencies_AreWithinTheBinError()
    {
        var figures = Figures();
        var random = new Random(19);
        // Log-uniform from 50 µs to 5 s, whole microseconds (the figures' resolution).
        var samples = Enumerable.Range(0, 20_000).Select(_ => (long)Math.Exp(Math.Log(50) + random.NextDouble() * (Math.Log(5_000_000) - Math.Log(50)))).ToArray();
        foreach (var us in samples) figures.Record(_agent, _deployment, false, TimeSpan.FromMicroseconds(us));

        var sorted = samples.Order().ToArray();
        double Exact(double p) => sorted[(int)Math.Ceiling(p * sorted.Length) - 1] / 1000.0;
        var s = figures.Read(_deployment, TrafficFigures.OneMinute);
        AssertNear(Exact(0.50), s.P50Ms);
        AssertNear(Exact(0.99), s.P99Ms);
    }

    [Fact]
    public void Bins_EveryValueIsWithinItsBinsError_AndBinsAscend()
    {
        var previous = -1;
        for (long us = 0; us < 1L << LatencyBins.MaxExponent; us = us < 4096 ? us + 1 : us + us / 97)
        {
            var bin = LatencyBins.Of(us);
            Assert.InRange(bin, previous, LatencyBins.Count - 1);
            previous = bin;
            var representative = LatencyBins.Representative(bin);
            Assert.True(Math.Abs(representative - us) <= BinError * us + 1e-9, $"{us} µs is in bin {bin} ({representative} µs)");
        }

        Assert.Equal(LatencyBins.Count - 1, LatencyBins.Of(long.MaxValue));
        Assert.Equal(0, LatencyBins.Of(-5));
    }

    [Fact]
    public async Task Record_FromManyThreadsWhileBucketsTurnOver_TotalsAreExact()
    {
        var figures = Figures();
        const int threads = 8, calls = 40_000;
        using var start = new Barrier(threads);
        // Writer 0 moves the clock 1 s every 1000 of its calls: four 10 s buckets open while the others record
        // (all within one minute, so both windows hold every call).
        var writers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < calls; i++)
            {
                if (t == 0 && i % 1000 == 999) _time.Advance(TimeSpan.FromSeconds(1));
                figures.Record(_agent, _deployment, i % 4 == 0, TimeSpan.FromMicroseconds(100 + i % 1000));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers);

        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero) < TimeSpan.FromSeconds(50));
        foreach (var window in TrafficFigures.Windows)
        {
            var s = figures.Read(_deployment, window);
            Assert.Equal(threads * calls, s.Requests);
            Assert.Equal(threads * (calls / 4), s.Errors);
        }
    }

    [Fact]
    public void Record_PastTheCap_ForgetsTheDeploymentIdleLongest()
    {
        var figures = Figures(maxDeployments: 3);
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids[..3])
        {
            figures.Record(_agent, id, false, TimeSpan.FromMilliseconds(1));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        figures.Record(_agent, ids[0], false, TimeSpan.FromMilliseconds(1)); // ids[1] is now the one idle longest
        _time.Advance(TimeSpan.FromSeconds(1));
        figures.Record(_agent, ids[3], false, TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, figures.Tracked);
        Assert.Equal(0, figures.Read(ids[1], TrafficFigures.OneMinute).Requests);
        Assert.Equal(2, figures.Read(ids[0], TrafficFigures.OneMinute).Requests);
        Assert.Equal(1, figures.Read(ids[2], TrafficFigures.OneMinute).Requests);
        Assert.Equal(1, figures.Read(ids[3], TrafficFigures.OneMinute).Requests);
        Assert.Equal(ids.Except([ids[1]]).Order(), figures.Deployments().Select(d => d.DeploymentId).Order());
    }

    [Fact]
    public void Read_OtherWindow_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures().Read(_deployment, TimeSpan.FromMinutes(5)));

    private void Record(TrafficFigures figures, int count, bool failed, TimeSpan elapsed)
    {
        for (var i = 0; i < count; i++) figures.Record(_agent, _deployment, failed, elapsed);
    }

    private static void AssertNear(double expectedMs, double? actualMs)
    {
        Assert.NotNull(actualMs);
        Assert.True(Math.Abs(actualMs.Value - expectedMs) <= BinError * expectedMs + 0.001, $"expected {expectedMs} ms within {BinError:P2}, got {actualMs} ms");
    }
}
