using Bunit;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace Cutover.Tests.Unit.Components.Agents;

public sealed class PromoteDialogTests : BunitTestBase
{
    private readonly DeploymentRow _current = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", branch: "main", author: "Ada", ageMinutes: 120);
    private readonly DeploymentRow _target = Rows.Deployment("3.0.0", commit: "ccccccc333", branch: "feature/search", author: "Ada", ageMinutes: 10);
    private readonly List<object?> _closed = [];

    public PromoteDialogTests()
    {
        Interactive();
        var dialogs = Context.Services.GetRequiredService<DialogService>();
        dialogs.OnClose += result => _closed.Add(result);
        // The page that opened this dialog, and one more underneath: Close only reports while a dialog is open, and
        // with two open a second (double-click) Close would be seen closing the other one.
        _ = dialogs.OpenAsync("Underneath", _ => _ => { });
        _ = dialogs.OpenAsync("Promote to production", _ => _ => { });
    }

    [Fact]
    public void Render_FromAndTo_ShowsEachFieldAndMarksWhatChanges()
    {
        var cut = Render();

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
                "Age | 2 h ago | 10 min ago | changed",
            ],
            rows);
    }

    [Fact]
    public void Render_NoProductionYet_ShowsDashesForFrom()
    {
        var cut = Context.Render<PromoteDialog>(p => p.Add(x => x.Target, _target).Add(x => x.Now, Rows.Now));

        Assert.All(cut.FindAll("table.compare tbody tr td:nth-of-type(1)"), td => Assert.Equal("–", td.TextContent));
    }

    [Fact]
    public void Confirm_WithReason_ClosesOnceWithTheTrimmedReason()
    {
        var cut = Render();
        cut.Find("textarea").Change("  Faster search verified  ");

        var promote = cut.FindAll("button").Single(b => b.QuerySelector(".rz-button-text")?.TextContent == "Promote");
        promote.Click();
        // A double click delivers a second click to the same button before the dialog is gone.
        promote.Click();

        var result = Assert.IsType<ConfirmedAction>(Assert.Single(_closed));
        Assert.Equal("Faster search verified", result.Reason);
    }

    [Fact]
    public void Confirm_WithoutReason_ClosesWithNoReason()
    {
        var cut = Render();

        cut.FindAll("button").Single(b => b.QuerySelector(".rz-button-text")?.TextContent == "Promote").Click();

        Assert.Null(Assert.IsType<ConfirmedAction>(Assert.Single(_closed)).Reason);
    }

    [Fact]
    public void Cancel_Clicked_ClosesWithNothing()
    {
        var cut = Render();

        cut.FindAll("button").Single(b => b.QuerySelector(".rz-button-text")?.TextContent == "Cancel").Click();

        Assert.Null(Assert.Single(_closed));
    }

    [Fact]
    public void Render_Rollback_UsesRollbackWordsAndWarningStyle()
    {
        var cut = Context.Render<PromoteDialog>(p => p
            .Add(x => x.Current, _current).Add(x => x.Target, _target).Add(x => x.Now, Rows.Now).Add(x => x.Rollback, true));

        Assert.StartsWith("Production returns to orders:3.0.0 (ccccccc).", cut.Find(".confirm-lead").TextContent, StringComparison.Ordinal);
        var confirm = cut.FindAll("button").Single(b => b.QuerySelector(".rz-button-text")?.TextContent == "Roll back");
        Assert.Contains("rz-warning", confirm.ClassName);
    }

    private IRenderedComponent<PromoteDialog> Render() =>
        Context.Render<PromoteDialog>(p => p.Add(x => x.Current, _current).Add(x => x.Target, _target).Add(x => x.Now, Rows.Now));
}
