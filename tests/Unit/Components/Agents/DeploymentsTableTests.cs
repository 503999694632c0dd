using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Agents;

public sealed class DeploymentsTableTests : BunitTestBase
{
    private readonly DeploymentRow _ready = Rows.Deployment("3.0.0", commit: "ccccccc333", ageMinutes: 1);
    private readonly DeploymentRow _pending = Rows.Deployment("2.5.0", DeploymentStatus.Pending, ageMinutes: 2);
    private readonly DeploymentRow _production = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", ageMinutes: 3);
    private readonly DeploymentRow _failed = Rows.Deployment("1.5.0", DeploymentStatus.Failed, ageMinutes: 4);
    private readonly DeploymentRow _deleted = Rows.Deployment("1.0.0", deleted: true, ageMinutes: 5);

    public DeploymentsTableTests()
    {
        // Each live row shows its traffic figures, read through the seam.
        Context.Services.AddSingleton<IDashboardClient>(new FakeDashboardClient());
        Interactive();
    }

    [Fact]
    public void Render_Operator_OffersPromoteOnlyOnReadyNonProduction()
    {
        var cut = Render(canOperate: true);

        var promote = cut.FindAll("button").Where(b => b.TextContent.Contains("Promote", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(promote);
        Assert.Equal("Promote orders:3.0.0 (ccccccc)", only.GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_Operator_ProductionDeleteIsDisabledWithTheReason()
    {
        var cut = Render(canOperate: true);

        var delete = cut.Find("button[aria-label='Delete orders:2.0.0 (bbbbbbb)']");
        Assert.True(delete.HasAttribute("disabled"));
        Assert.Equal("The production deployment cannot be deleted; promote another one first.", delete.GetAttribute("title"));
        Assert.False(cut.Find("button[aria-label='Delete orders:3.0.0 (ccccccc)']").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_Viewer_ShowsNoActionButtons()
    {
        var cut = Render(canOperate: false);

        Assert.Empty(cut.FindAll("button[aria-label^='Promote'], button[aria-label^='Delete']"));
        Assert.DoesNotContain("Actions", cut.FindAll("th").Select(th => th.TextContent.Trim()));
    }

    [Fact]
    public void ShowDeleted_Toggled_RevealsDeletedDeployments()
    {
        var cut = Render(canOperate: true);
        Assert.Equal(4, cut.FindAll("tbody tr.mud-table-row").Count);
        Assert.DoesNotContain("orders:1.0.0", cut.Find("table").TextContent, StringComparison.Ordinal);

        cut.Find("input[aria-label='Show deleted deployments']").Change(true);

        Assert.Equal(5, cut.FindAll("tbody tr.mud-table-row").Count);
        Assert.Contains("orders:1.0.0", cut.Find("table").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("tr.row-deleted"));
    }

    [Fact]
    public void Render_ProductionRow_IsMarked()
    {
        var cut = Render(canOperate: false);

        var row = cut.Find("tr.row-production");
        Assert.Contains("Production", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("orders:2.0.0", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ActionRunning_BusyRowAndEveryOtherActionDisabled()
    {
        var cut = Render(canOperate: true, busy: _ready.Id);

        var buttons = cut.FindAll("button[aria-label^='Promote'], button[aria-label^='Delete']");
        Assert.NotEmpty(buttons);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled")));
        Assert.Contains("Promoting", cut.Find("button[aria-label^='Promote']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Promote_Clicked_RaisesOnPromoteWithThatDeployment()
    {
        DeploymentRow? promoted = null;
        var cut = Context.Render<DeploymentsTable>(p => p
            .Add(x => x.Deployments, All())
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.CanOperate, true)
            .Add(x => x.OnPromote, (DeploymentRow d) => promoted = d));

        cut.Find("button[aria-label^='Promote']").Click();

        Assert.Equal(_ready.Id, promoted?.Id);
    }

    [Fact]
    public void Render_PendingNoRuntimeStarted_SaysItWaitsForItsPodAndSinceWhen()
    {
        var waiting = _pending with { StatusDetail = global::Cutover.Core.Deployments.DeploymentService.WaitingForPod };
        var cut = Context.Render<DeploymentsTable>(p => p
            .Add(x => x.Deployments, [_ready, waiting])
            .Add(x => x.Now, Rows.Now));

        var note = cut.Find("[data-testid=pending-note]");
        Assert.StartsWith("waiting for its pod to register · since ", note.TextContent, StringComparison.Ordinal);
        Assert.Equal(waiting.CreatedAt.ToString("O"), note.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Single(cut.FindAll("[data-testid=pending-note]"));
    }

    [Fact]
    public async Task PreviewRpc_Opened_ShowsTheUrlAndCopiesACurlLineForIt()
    {
        var copy = Context.JSInterop.Setup<bool>("cutover.copyText", _ => true);
        copy.SetResult(true);
        var cut = Render(canOperate: false);
        Assert.Empty(cut.FindAll("[data-testid=preview-url]"));

        await cut.Find("button[aria-label='Preview RPC of orders:3.0.0 (ccccccc)']").ClickAsync(new());

        var url = $"http://localhost/api/agents/{_ready.AgentId}/deployments/{_ready.Id}/rpc";
        Assert.Equal($"POST {url}", cut.Find("[data-testid=preview-url]").TextContent);
        var curl = cut.Find("[data-testid=preview-curl]").TextContent;
        Assert.StartsWith($"curl -X POST '{url}' -H \"Authorization: Bearer $CUTOVER_TOKEN\"", curl, StringComparison.Ordinal);
        await cut.Find("button[aria-label='Copy curl for orders:3.0.0 (ccccccc)']").ClickAsync(new());
        Assert.Equal(curl, Assert.Single(copy.Invocations).Arguments[0]);
        cut.WaitForAssertion(() => Assert.Contains("Copied", cut.Find(".preview-rpc-note").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_DeploymentsCreatedTogether_ShortIdsTellThemApart()
    {
        // Ids are made as DeploymentService makes them, in one burst: version 7, so they share their time prefix.
        var together = Enumerable.Range(0, 40).Select(i => _ready with { Id = Guid.CreateVersion7(), Image = $"registry.example.com/orders:{i}" }).ToList();
        var cut = Context.Render<DeploymentsTable>(p => p.Add(x => x.Deployments, together).Add(x => x.Now, Rows.Now));

        var shown = cut.FindAll(".short-id").Select(e => e.TextContent).ToList();

        Assert.Equal(40, shown.Count);
        Assert.Equal(40, shown.Distinct(StringComparer.Ordinal).Count());
        Assert.All(shown, id => Assert.Equal(8, id.Length));
    }

    private IRenderedComponent<DeploymentsTable> Render(bool canOperate, Guid? busy = null) =>
        Context.Render<DeploymentsTable>(p => p
            .Add(x => x.Deployments, All())
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.CanOperate, canOperate)
            .Add(x => x.BusyDeploymentId, busy));

    private IReadOnlyList<DeploymentRow> All() => [_ready, _pending, _production, _failed, _deleted];
}
