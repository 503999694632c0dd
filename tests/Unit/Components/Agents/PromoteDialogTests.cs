using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cutover.Tests.Unit.Components.Agents;

public sealed class PromoteDialogTests : BunitTestBase
{
    private readonly DeploymentRow _current = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", branch: "main", author: "Ada", ageMinutes: 120)
        with { Health = HealthStatus.Healthy };
    private readonly DeploymentRow _target = Rows.Deployment("3.0.0", commit: "ccccccc333", branch: "feature/search", author: "Ada", ageMinutes: 10);

    private readonly Guid _agentId = Guid.NewGuid();
    private readonly FakeDashboardClient _data = new();

    public PromoteDialogTests()
    {
        Context.Services.AddSingleton<IDashboardClient>(_data);
        Interactive();
    }

    [Fact]
    public async Task Open_ProductionMovesMeanwhile_SaysWhoMovedItWhereAndConfirmsAgainstTheNewOne()
    {
        var (cut, dialog) = await OpenAsync();
        var other = Rows.Deployment("2.5.0", production: true, commit: "ddddddd444", ageMinutes: 1);

        await _data.PublishAsync(
            new AgentUpserted(Summary(other), null),
            new TimelineEventAdded(new EventRow(Guid.NewGuid(), _agentId, "orders", other.Id, EventKind.Promoted, "user:bob", null, null, null, Rows.Now, 9)));

        cut.WaitForAssertion(() => Assert.Contains("user:bob moved it to orders:2.5.0 (ddddddd)", cut.Find(".confirm-moved").TextContent,
            StringComparison.Ordinal));
        Assert.Contains("ddddddd", cut.FindAll("table.compare tbody tr")[1].TextContent, StringComparison.Ordinal);
        await Button(cut, "Promote").ClickAsync(new());
        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(other.Id, Assert.IsType<ConfirmedAction>(result!.Data).ExpectedProductionDeploymentId);
    }

    [Fact]
    public async Task Confirm_NothingMoved_CarriesTheProductionShown()
    {
        var (cut, dialog) = await OpenAsync();

        await Button(cut, "Promote").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(_current.Id, Assert.IsType<ConfirmedAction>(result!.Data).ExpectedProductionDeploymentId);
        Assert.Equal(0, _data.OpenSubscriptions); // closing stopped following the agent
    }

    private AgentSummary Summary(DeploymentRow production) =>
        new(_agentId, "orders", null, HealthStatus.Healthy, SyncStatus.Synced, Rows.Now, null, null, Rows.Now.AddDays(-1), 9, production);

    [Fact]
    public async Task Render_FromAndTo_ShowsEachFieldAndMarksWhatChanges()
    {
        var (cut, _) = await OpenAsync();

        var rows = cut.FindAll("table.compare tbody tr")
            .Select(r => string.Join(" | ", [r.QuerySelector("th")!.TextContent, .. r.QuerySelectorAll("td").Select(td => td.TextContent),
                r.ClassList.Contains("changed") ? "changed" : "same"]))
            .ToList();
        Assert.Equal(
            [
                $"Image | {_current.Image} | {_target.Image} | changed",
                "Commit | bbbbbbb | ccccccc | changed",
                "Branch | main | feature/search | changed",
                "Author | Ada | Ada | same",
                "Health | Healthy | Unknown | changed",
                "Age | 2 h ago | 10 min ago | changed",
            ],
            rows);
    }

    [Fact]
    public async Task Render_NoProductionYet_ShowsDashesForFrom()
    {
        var (cut, _) = await OpenAsync(current: null);

        Assert.All(cut.FindAll("table.compare tbody tr td:nth-of-type(1)"), td => Assert.Equal("–", td.TextContent));
    }

    [Fact]
    public async Task Confirm_WithReason_ClosesOnceWithTheTrimmedReason()
    {
        var (cut, dialog) = await OpenAsync();
        cut.Find("textarea").Change("  Faster search verified  ");

        await Button(cut, "Promote").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        // Closed at once: a second click of a double click has no button left to land on.
        Assert.Empty(cut.FindAll("button.confirm-button"));
        Assert.False(result!.Canceled);
        Assert.Equal("Faster search verified", Assert.IsType<ConfirmedAction>(result.Data).Reason);
    }

    [Fact]
    public async Task Confirm_WithoutReason_ClosesWithNoReason()
    {
        var (cut, dialog) = await OpenAsync();

        await Button(cut, "Promote").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(Assert.IsType<ConfirmedAction>(result!.Data).Reason);
    }

    [Fact]
    public async Task Cancel_Clicked_ClosesWithNothing()
    {
        var (cut, dialog) = await OpenAsync();

        await Button(cut, "Cancel").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result!.Canceled);
    }

    [Fact]
    public async Task Render_Rollback_UsesRollbackWordsAndWarningColour()
    {
        var (cut, _) = await OpenAsync(rollback: true);

        Assert.StartsWith("Production returns to orders:3.0.0 (ccccccc).", cut.Find(".confirm-lead").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-button-filled-warning", Button(cut, "Roll back").ClassName);
    }

    [Fact]
    public async Task Promote_OffersTheHouseGuardSwitchedOn_AndConfirmCarriesIt()
    {
        var (cut, dialog) = await OpenAsync();

        Assert.Contains("returns to orders:2.0.0 (bbbbbbb) (healthy now)", cut.Find("[data-testid=guard-revert-to]").TextContent, StringComparison.Ordinal);
        await Button(cut, "Promote").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Core.Guards.GuardSettings.Defaults, Assert.IsType<ConfirmedAction>(result!.Data).Guard);
    }

    [Fact]
    public async Task Promote_OffersTheAgentsDefaultGuard_AndHoldsValuesToTheApisBounds()
    {
        var own = new Core.Guards.GuardSettings(TimeSpan.FromMinutes(30), 0.02, 50, false);
        var (cut, dialog) = await OpenAsync(defaultGuard: own);
        var fields = cut.FindAll(".guard-fields input[inputmode]");
        // Watch for (the select), max error rate (%), judge after (calls).
        Assert.Equal(["30", "2", "50"], fields.Select(f => f.GetAttribute("value") ?? "").ToList());

        // Out of bounds is held to the bounds the API checks (0 calls becomes 1), so the guard sent is always valid.
        fields[2].Change("0");
        cut.WaitForAssertion(() => Assert.Equal("1", cut.FindAll(".guard-fields input[inputmode]")[2].GetAttribute("value")));
        cut.FindAll(".guard-fields input[inputmode]")[2].Change("40");
        cut.FindAll(".guard-fields input[inputmode]")[1].Change("250");
        cut.WaitForAssertion(() => Assert.Equal("99.9", cut.FindAll(".guard-fields input[inputmode]")[1].GetAttribute("value")));
        cut.FindAll(".guard-fields input[inputmode]")[1].Change("2");
        await Button(cut, "Promote").ClickAsync(new());
        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(own with { MinRequests = 40 }, Assert.IsType<ConfirmedAction>(result!.Data).Guard);
    }

    [Fact]
    public async Task Rollback_OffersAGuardSwitchedOff_AndShowsTheTargetsTraffic()
    {
        _data.Traffic[_target.Id] = new Dashboard.Traffic.TrafficSnapshot(TimeSpan.FromMinutes(15), 120, 3, 0.025, 12, 48);
        var (cut, dialog) = await OpenAsync(rollback: true);

        Assert.Equal("120 RPCs in 15 min · 2.5 % errors · p99 48 ms", cut.Find("[data-testid=target-traffic]").TextContent);
        Assert.Empty(cut.FindAll(".guard-fields"));
        await Button(cut, "Roll back").ClickAsync(new());
        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(Assert.IsType<ConfirmedAction>(result!.Data).Guard);
    }

    private Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync(bool rollback = false, bool? current = true,
        Core.Guards.GuardSettings? defaultGuard = null) =>
        DialogHost.ShowAsync(Context, new DialogParameters<PromoteDialog>
        {
            { x => x.AgentId, _agentId }, { x => x.Current, current == true ? _current : null }, { x => x.Target, _target },
            { x => x.Now, Rows.Now }, { x => x.Rollback, rollback }, { x => x.DefaultGuard, defaultGuard },
        });

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<MudDialogProvider> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
