using Cutover.Core.Domain;
using Cutover.Core.Health;

using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Health;

public sealed class HealthTrackerTests
{
    private static readonly HealthTarget Target = HealthTarget.ForDeployment(Guid.NewGuid(), Guid.NewGuid());
    private readonly ManualTimersTimeProvider _time = new();
    private readonly HealthTracker _tracker = new(new HealthOptions
    {
        UnhealthyAfter = 3,
        LivenessWindow = TimeSpan.FromSeconds(60),
        LastSeenThrottle = TimeSpan.FromSeconds(10),
        ProbeInterval = TimeSpan.FromSeconds(15),
    });

    [Fact]
    public void Report_FirstObservation_IsATransition()
    {
        var d = _tracker.Report(Target, HealthStatus.Healthy, _time.UtcNow);
        Assert.Equal(HealthDecision.Transition(HealthStatus.Healthy), d);
    }

    [Fact]
    public void Report_RepeatedWithinThrottle_WritesNothing_ThenStampsOnceThrottleElapses()
    {
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(HealthDecisionKind.NoWrite, _tracker.Report(Target, HealthStatus.Healthy, _time.UtcNow).Kind);

        _time.Advance(TimeSpan.FromSeconds(1));
        var d = _tracker.Report(Target, HealthStatus.Healthy, _time.UtcNow);
        Assert.Equal(HealthDecision.Touch(HealthStatus.Healthy), d);
        _tracker.Stamped(Target, _time.UtcNow);
        Assert.Equal(HealthDecisionKind.NoWrite, _tracker.Report(Target, HealthStatus.Healthy, _time.UtcNow).Kind);
    }

    [Fact]
    public void Report_DifferentFromWritten_IsATransition()
    {
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        Assert.Equal(HealthDecision.Transition(HealthStatus.Unhealthy), _tracker.Report(Target, HealthStatus.Unhealthy, _time.UtcNow));
    }

    [Fact]
    public void Probe_FailuresBelowThreshold_AreInconclusive_ThresholdMakesUnhealthy()
    {
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        Assert.Equal(HealthDecisionKind.NoWrite, _tracker.Probe(Target, success: false, _time.UtcNow).Kind);
        Assert.Equal(HealthDecisionKind.NoWrite, _tracker.Probe(Target, success: false, _time.UtcNow).Kind);
        Assert.Equal(HealthDecision.Transition(HealthStatus.Unhealthy), _tracker.Probe(Target, success: false, _time.UtcNow));
    }

    [Fact]
    public void Probe_SuccessBetweenFailures_ResetsTheCount()
    {
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        _tracker.Probe(Target, success: false, _time.UtcNow);
        _tracker.Probe(Target, success: false, _time.UtcNow);
        _tracker.Probe(Target, success: true, _time.UtcNow);
        _tracker.Probe(Target, success: false, _time.UtcNow);
        Assert.Equal(HealthDecisionKind.NoWrite, _tracker.Probe(Target, success: false, _time.UtcNow).Kind);
    }

    [Fact]
    public void Probe_SuccessAfterUnhealthy_IsHealthyAgain()
    {
        _tracker.Written(Target, HealthStatus.Unhealthy, _time.UtcNow);
        Assert.Equal(HealthDecision.Transition(HealthStatus.Healthy), _tracker.Probe(Target, success: true, _time.UtcNow));
    }

    [Fact]
    public void StaleTargets_NoEvidenceWithinWindow_AreStale_FreshOnesAreNot()
    {
        var other = HealthTarget.ForAgent(Guid.NewGuid());
        _tracker.Report(Target, HealthStatus.Healthy, _time.UtcNow);
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        _tracker.Report(other, HealthStatus.Unhealthy, _time.UtcNow);
        _tracker.Written(other, HealthStatus.Unhealthy, _time.UtcNow);

        _time.Advance(TimeSpan.FromSeconds(59));
        _tracker.Report(other, HealthStatus.Unhealthy, _time.UtcNow);
        Assert.Empty(_tracker.StaleTargets(_time.UtcNow));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Target], _tracker.StaleTargets(_time.UtcNow));
    }

    [Fact]
    public void StaleTargets_InconclusiveProbeFailure_IsNotEvidence()
    {
        _tracker.Probe(Target, success: true, _time.UtcNow);
        _tracker.Written(Target, HealthStatus.Healthy, _time.UtcNow);
        _time.Advance(TimeSpan.FromSeconds(59));
        _tracker.Probe(Target, success: false, _time.UtcNow);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_tracker.IsStale(Target, _time.UtcNow));
    }

    [Fact]
    public void StaleTargets_ProbesFailingPastThreshold_KeepUnhealthyAlive()
    {
        _tracker.Written(Target, HealthStatus.Unhealthy, _time.UtcNow);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(15));
            _tracker.Probe(Target, success: false, _time.UtcNow);
        }

        Assert.False(_tracker.IsStale(Target, _time.UtcNow));
    }

    [Fact]
    public void StaleTargets_UnknownIsNeverStale()
    {
        _tracker.Written(Target, HealthStatus.Unknown, _time.UtcNow);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_tracker.StaleTargets(_time.UtcNow));
    }

    [Fact]
    public void ShouldStampAgent_IsThrottledPerAgent()
    {
        var agent = Guid.NewGuid();
        Assert.True(_tracker.ShouldStampAgent(agent, _time.UtcNow));
        Assert.False(_tracker.ShouldStampAgent(agent, _time.UtcNow));
        Assert.True(_tracker.ShouldStampAgent(Guid.NewGuid(), _time.UtcNow));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_tracker.ShouldStampAgent(agent, _time.UtcNow));
    }

    [Fact]
    public void Options_LivenessWindowNotLongerThanProbeInterval_IsRefused()
    {
        var o = new HealthOptions { ProbeInterval = TimeSpan.FromSeconds(30), LivenessWindow = TimeSpan.FromSeconds(30) };
        Assert.Contains("LivenessWindow", o.Validate());
        Assert.Null(new HealthOptions().Validate());
    }
}
