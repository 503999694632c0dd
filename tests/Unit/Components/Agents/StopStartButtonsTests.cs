using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>Stop and Start on the deployments table, the Stopped row, and the idle note of a running preview.</summary>
public sealed class StopStartButtonsTests : BunitTestBase
{
    private readonly FakeDashboardClient _client = new();
    private readonly DeploymentRow _ready = Rows.Deployment("3.0.0", commit: "ccccccc333", ageMinutes: 1);
    private readonly DeploymentRow _pending = Rows.Deployment("2.5.0", DeploymentStatus.Pending, commit: "ddddddd444", ageMinutes: 2);
    private readonly DeploymentRow _production = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", ageMinutes: 3);
    private readonly DeploymentRow _stopped;
    private readonly DeploymentRow _failed = Rows.Deployment("1.5.0", DeploymentStatus.Failed, commit: "fffffff666", ageMinutes: 4);

    public StopStartButtonsTests()
    {
        _stopped = Rows.Deployment("1.9.0", DeploymentStatus.Stopped, commit: "aaaaaaa111", ageMinutes: 50) with
        {
            StatusDetail = "idle 30 min",
            StatusChangedAt = Rows.Now.AddMinutes(-4),
        };
        Context.Services.AddSingleton<IDashboardClient>(_client);
        Interactive();
    }

    private IReadOnlyList<DeploymentRow> All() => [_ready, _pending, _production, _stopped, _failed];

    private IReadOnlyCollection<string> Images => All().Select(d => d.Image).ToList();

    [Fact]
    public void Render_OperatorWithRuntime_StopOnRunningPreviewsStartOnStoppedNoneOnProductionOrFailed()
    {
        var cut = Render(canOperate: true, Images);

        var stops = cut.FindAll("button[aria-label^='Stop ']").Select(b => b.GetAttribute("aria-label")).ToList();
        var starts = cut.FindAll("button[aria-label^='Start ']").Select(b => b.GetAttribute("aria-label")).ToList();

        Assert.Equal(["Stop orders:3.0.0 (ccccccc)", "Stop orders:2.5.0 (ddddddd)"], stops);
        Assert.Equal(["Start orders:1.9.0 (aaaaaaa)"], starts);
    }

    [Fact]
    public void Render_Viewer_NoStopOrStart()
    {
        var cut = Render(canOperate: false, Images);

        Assert.Empty(cut.FindAll("button[aria-label^='Stop '], button[aria-label^='Start ']"));
    }

    [Fact]
    public void Render_ImagesTheRuntimeDoesNotRun_NoStopOrStart()
    {
        var cut = Render(canOperate: true, [_ready.Image]);

        Assert.Equal(["Stop orders:3.0.0 (ccccccc)"], cut.FindAll("button[aria-label^='Stop ']").Select(b => b.GetAttribute("aria-label")));
        Assert.Empty(cut.FindAll("button[aria-label^='Start ']"));
    }

    [Fact]
    public void StopAndStart_Clicked_RaiseTheirCallbacksWithThatDeployment()
    {
        DeploymentRow? stopped = null, started = null;
        var cut = Context.Render<DeploymentsTable>(p => p
            .Add(x => x.Deployments, All())
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.CanOperate, true)
            .Add(x => x.RuntimeImages, Images)
            .Add(x => x.OnStop, (DeploymentRow d) => stopped = d)
            .Add(x => x.OnStart, (DeploymentRow d) => started = d));

        cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']").Click();
        cut.Find("button[aria-label='Start orders:1.9.0 (aaaaaaa)']").Click();

        Assert.Equal(_ready.Id, stopped?.Id);
        Assert.Equal(_stopped.Id, started?.Id);
    }

    [Fact]
    public void Render_ActionRunning_StopAndStartDisabled()
    {
        var cut = Render(canOperate: true, Images, busy: _ready.Id);

        var buttons = cut.FindAll("button[aria-label^='Stop '], button[aria-label^='Start ']");
        Assert.Equal(3, buttons.Count);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled")));
        Assert.Contains("Stopping", cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StoppedRow_GreyChipWhyAndWhen()
    {
        var cut = Render(canOperate: false, Images);

        var row = cut.Find("tr.row-stopped");
        var badge = row.QuerySelector("[aria-label='Status: Stopped']");
        Assert.NotNull(badge);
        var note = row.QuerySelector("[data-testid=stopped-note]")!;
        Assert.Equal("stopped (idle 30 min) · 4 min ago", note.TextContent.Trim());
        Assert.Single(cut.FindAll("tr.row-stopped"));
    }

    [Fact]
    public void Render_RunningPreview_SaysWhenItStopsIfIdle()
    {
        _client.IdleStops[_ready.Id] = Rows.Now.AddMinutes(11).AddSeconds(20);

        var cut = Render(canOperate: false, Images);

        var note = Assert.Single(cut.FindAll("[data-testid=idle-note]"));
        Assert.Equal("stops when idle in 12 min", note.TextContent.Trim());
    }

    [Theory]
    [InlineData(30, "stops when idle in under a minute")]
    [InlineData(-5, "stopping: idle")]
    [InlineData(60 * 90, "stops when idle in 2 h")]
    public void IdleText_TimeLeft_InWords(int seconds, string expected)
    {
        Assert.Equal(expected, IdleStopNote.Text(Rows.Now.AddSeconds(seconds), Rows.Now));
    }

    private IRenderedComponent<DeploymentsTable> Render(bool canOperate, IReadOnlyCollection<string> images, Guid? busy = null) =>
        Context.Render<DeploymentsTable>(p => p
            .Add(x => x.Deployments, All())
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.CanOperate, canOperate)
            .Add(x => x.RuntimeImages, images)
            .Add(x => x.BusyDeploymentId, busy));
}
