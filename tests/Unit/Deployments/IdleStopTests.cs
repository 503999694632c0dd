using Cutover.Core.Deployments;
using Cutover.Core.Domain;

namespace Cutover.Tests.Unit.Deployments;

/// <summary>The idle rule shared by the stopper and the row's "stops when idle in" note.</summary>
public sealed class IdleStopTests
{
    private static readonly DateTime Ready = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Counting = Ready.AddHours(-1);
    private static readonly TimeSpan After = TimeSpan.FromMinutes(30);

    [Fact]
    public void DueAt_NoRpc_CountsFromReady()
    {
        Assert.Equal(Ready + After, IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, null, Counting, After));
    }

    [Fact]
    public void DueAt_RpcAfterReady_CountsFromTheRpc()
    {
        var rpc = Ready.AddMinutes(12);
        Assert.Equal(rpc + After, IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, rpc, Counting, After));
    }

    [Fact]
    public void DueAt_RpcBeforeItWasStartedAgain_CountsFromReady()
    {
        Assert.Equal(Ready + After, IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, Ready.AddMinutes(-5), Counting, After));
    }

    [Fact]
    public void DueAt_CutoverRestartedAfterItWasReady_CountsFromTheRestart()
    {
        var restarted = Ready.AddHours(2);
        Assert.Equal(restarted + After, IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, null, restarted, After));
    }

    [Theory]
    [InlineData(true, DeploymentStatus.Ready, false)]
    [InlineData(false, DeploymentStatus.Pending, false)]
    [InlineData(false, DeploymentStatus.Stopped, false)]
    [InlineData(false, DeploymentStatus.Failed, false)]
    [InlineData(false, DeploymentStatus.Ready, true)]
    public void DueAt_ProductionNotRunningOrDeleted_Never(bool production, DeploymentStatus status, bool deleted)
    {
        Assert.Null(IdleStop.DueAt(production, status, deleted, Ready, null, Counting, After));
    }

    [Fact]
    public void DueAt_SettingOffOrZero_Never()
    {
        Assert.Null(IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, null, Counting, null));
        Assert.Null(IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, null, Counting, TimeSpan.Zero));
    }

    [Fact]
    public void Why_SaysHowLong()
    {
        Assert.Equal("idle 30 min", IdleStop.Why(After));
        Assert.Equal("idle 2 s", IdleStop.Why(TimeSpan.FromSeconds(2)));
        Assert.Equal("idle 1 h 30 min", IdleStop.Why(TimeSpan.FromMinutes(90)));
    }
}
