using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Microsoft.Extensions.Configuration;

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

    [Theory]
    [InlineData(null, "00:30:00")]
    [InlineData("", null)]
    [InlineData("00:00:00", "00:00:00")]
    [InlineData("00:05:00", "00:05:00")]
    public void Setting_AsConfigured_DefaultHalfAnHourEmptyOrZeroOff(string? configured, string? expected)
    {
        var builder = new ConfigurationBuilder();
        if (configured is not null)
            builder.AddInMemoryCollection(new Dictionary<string, string?> { [$"{RuntimeOptions.Section}:PreviewIdleStopAfter"] = configured });
        var options = new RuntimeOptions();
        builder.Build().GetSection(RuntimeOptions.Section).Bind(options);

        Assert.Equal(expected is null ? null : TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), options.PreviewIdleStopAfter);
        if (expected is null or "00:00:00")
            Assert.Null(IdleStop.DueAt(false, DeploymentStatus.Ready, false, Ready, null, Counting, options.PreviewIdleStopAfter));
    }

    [Fact]
    public void Why_SaysHowLong()
    {
        Assert.Equal("idle 30 min", IdleStop.Why(After));
        Assert.Equal("idle 2 s", IdleStop.Why(TimeSpan.FromSeconds(2)));
        Assert.Equal("idle 1 h 30 min", IdleStop.Why(TimeSpan.FromMinutes(90)));
    }
}
