using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Results;

namespace Cutover.Tests.Unit.Guards;

/// <summary>The one rule a guard follows, and the bounds of its settings.</summary>
public sealed class GuardDecisionTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
    private static readonly GuardSettings Settings = new(TimeSpan.FromMinutes(10), 0.05, 20, true);

    [Theory]
    [InlineData(19, 19, "Keep")] // fewer calls than minRequests: not enough to judge, however bad
    [InlineData(20, 1, "Keep")] // 5 %: at the limit, not over it
    [InlineData(20, 2, "Revert")] // 10 %
    [InlineData(1000, 51, "Revert")]
    [InlineData(1000, 50, "Keep")]
    [InlineData(0, 0, "Keep")]
    public void ErrorRate_OverTheLimitWithEnoughCalls_Reverts(long requests, long errors, string expected)
    {
        var d = GuardDecision.Decide(Settings, new GuardEvidence(requests, errors, HealthStatus.Healthy), Now, Now.AddMinutes(5));
        Assert.Equal(Enum.Parse<GuardDecisionKind>(expected), d.Kind);
        if (d.Kind == GuardDecisionKind.Revert) Assert.Contains("above the limit of 5 %", d.Why);
    }

    [Fact]
    public void Unhealthy_RevertsOnlyWhenHealthIsRequired()
    {
        var evidence = new GuardEvidence(0, 0, HealthStatus.Unhealthy);
        Assert.Equal(GuardDecisionKind.Revert, GuardDecision.Decide(Settings, evidence, Now, Now.AddMinutes(5)).Kind);
        Assert.Equal(GuardDecisionKind.Keep, GuardDecision.Decide(Settings with { RequireHealthy = false }, evidence, Now, Now.AddMinutes(5)).Kind);
        // Unknown is no evidence of trouble.
        Assert.Equal(GuardDecisionKind.Keep, GuardDecision.Decide(Settings, evidence with { Health = HealthStatus.Unknown }, Now, Now.AddMinutes(5)).Kind);
    }

    [Fact]
    public void DeploymentNoLongerReady_Reverts_EvenWithoutHealthRequired()
    {
        var evidence = new GuardEvidence(0, 0, HealthStatus.Unknown, DeploymentStatus.Failed);
        var d = GuardDecision.Decide(Settings with { RequireHealthy = false }, evidence, Now, Now.AddMinutes(5));
        Assert.Equal(GuardDecisionKind.Revert, d.Kind);
        Assert.Equal("the deployment is Failed", d.Why);
    }

    [Fact]
    public void WindowOver_WithNothingWrong_Passes_ButABreachAtTheEndStillReverts()
    {
        Assert.Equal(GuardDecisionKind.Pass, GuardDecision.Decide(Settings, new GuardEvidence(100, 0, HealthStatus.Healthy), Now, Now).Kind);
        Assert.Equal(GuardDecisionKind.Revert, GuardDecision.Decide(Settings, new GuardEvidence(100, 50, HealthStatus.Healthy), Now, Now).Kind);
    }

    [Fact]
    public void Settings_MissingFieldsTakeTheDefaults()
    {
        var s = GuardSettings.From(TimeSpan.FromMinutes(3), null, null, null).Value!;
        Assert.Equal(new GuardSettings(TimeSpan.FromMinutes(3), GuardSettings.Defaults.MaxErrorRate, GuardSettings.Defaults.MinRequests,
            GuardSettings.Defaults.RequireHealthy), s);
        Assert.Equal("3 min · errors ≤ 5 % over ≥ 20 calls · must stay healthy", s.Describe());
    }

    [Theory]
    [InlineData(5, 0.05, 20, "guard.window")]
    [InlineData(100_000, 0.05, 20, "guard.window")]
    [InlineData(600, -0.1, 20, "guard.maxErrorRate")]
    [InlineData(600, 1.0, 20, "guard.maxErrorRate")]
    [InlineData(600, double.NaN, 20, "guard.maxErrorRate")]
    [InlineData(600, 0.05, 0, "guard.minRequests")]
    [InlineData(600, 0.05, 2_000_000, "guard.minRequests")]
    public void Settings_OutOfBounds_NameTheField(int windowSeconds, double rate, int min, string field)
    {
        var outcome = GuardSettings.From(TimeSpan.FromSeconds(windowSeconds), rate, min, null);
        Assert.False(outcome.IsSuccess);
        Assert.Equal(FailureKind.Invalid, outcome.Failure!.Kind);
        Assert.Equal(field, outcome.Failure.Field);
    }
}
