using Cutover.Tests.Unit.Runtime;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;

namespace Cutover.Tests.Unit.Deployments;

public sealed class DeployInterpreterTests
{
    public static TheoryData<DeployAttemptKind> Kinds()
    {
        var data = new TheoryData<DeployAttemptKind>();
        foreach (var kind in Enum.GetValues<DeployAttemptKind>()) data.Add(kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Interpret_EveryOutcome_EndsInATerminalState(DeployAttemptKind kind)
    {
        var verdict = DeployInterpreter.Interpret(new DeployAttempt(kind), TimeSpan.FromSeconds(30));

        Assert.Contains(verdict.Status, new[] { DeploymentStatus.Ready, DeploymentStatus.Failed });
        Assert.Contains(verdict.Sync, new[] { SyncStatus.Synced, SyncStatus.OutOfSync });
        Assert.Equal(kind == DeployAttemptKind.Registered, verdict.Succeeded);
        if (!verdict.Succeeded) Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    [Fact]
    public void Interpret_ExitedBeforeReady_ReasonHasExitCodeAndLastOutput()
    {
        var verdict = DeployInterpreter.Interpret(
            new DeployAttempt(DeployAttemptKind.ExitedBeforeReady, null, 3, ["starting", "", "fatal: no config"]), TimeSpan.FromSeconds(30));

        Assert.Equal(DeploymentStatus.Failed, verdict.Status);
        Assert.Contains("code 3", verdict.Reason);
        Assert.Contains("fatal: no config", verdict.Reason);
        Assert.False(verdict.StopProcess);
    }

    [Fact]
    public void Interpret_TimedOut_StopsTheProcessAndNamesTheTimeout()
    {
        var verdict = DeployInterpreter.Interpret(new DeployAttempt(DeployAttemptKind.TimedOut), TimeSpan.FromSeconds(45));

        Assert.True(verdict.StopProcess);
        Assert.Equal(SyncStatus.OutOfSync, verdict.Sync);
        Assert.Contains("45 s", verdict.Reason);
    }

    [Fact]
    public void Interpret_RuntimeRefused_OutOfSyncButSaysNothingAboutHealth()
    {
        var verdict = DeployInterpreter.Interpret(new DeployAttempt(DeployAttemptKind.StartRefused, "not built"), TimeSpan.FromSeconds(30));

        Assert.Equal(SyncStatus.OutOfSync, verdict.Sync);
        Assert.False(verdict.ProcessDied);
        Assert.Contains("not built", verdict.Reason);
    }

    [Fact]
    public void Interpret_ReadyProcessDied_MarksTheProcessDead()
    {
        var verdict = DeployInterpreter.Interpret(new DeployAttempt(DeployAttemptKind.ExitedAfterReady, null, 137), TimeSpan.FromSeconds(30));

        Assert.True(verdict.ProcessDied);
        Assert.Equal(DeploymentStatus.Failed, verdict.Status);
        Assert.Contains("137", verdict.Reason);
    }
}
