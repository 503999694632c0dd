using Bunit;
using Cutover.Core.Domain;
using Cutover.Dashboard.Components.Shared;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Components.Shared;

/// <summary>
/// The one status badge: every status has a colour, an icon and words, and an accessible name ("Health: Healthy")
/// that the Playwright tests and screen readers find it by (role "img").
/// </summary>
public sealed class StatusBadgeTests : BunitTestBase
{
    [Theory]
    [InlineData(HealthStatus.Healthy, "Health: Healthy", "success", "check_circle")]
    [InlineData(HealthStatus.Unhealthy, "Health: Unhealthy", "danger", "error")]
    [InlineData(HealthStatus.Unknown, "Health: Unknown", "base", "help")]
    public void Render_Health_HasNameColourIconAndText(HealthStatus status, string name, string style, string icon)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Health, status));

        AssertBadge(cut, name, style, icon, status.ToString());
        Assert.Equal(status.ToString(), cut.Find("[role=img]").GetAttribute("data-status"));
    }

    [Theory]
    [InlineData(SyncStatus.Synced, "Sync: Synced", "success", "cloud_done", "Synced")]
    [InlineData(SyncStatus.OutOfSync, "Sync: Out of sync", "warning", "sync_problem", "Out of sync")]
    [InlineData(SyncStatus.Syncing, "Sync: Syncing", "info", "sync", "Syncing")]
    [InlineData(SyncStatus.Unknown, "Sync: Unknown", "base", "help", "Unknown")]
    public void Render_Sync_ShowsWordsNotEnumNames(SyncStatus status, string name, string style, string icon, string text)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Sync, status));

        AssertBadge(cut, name, style, icon, text);
        Assert.Equal(status.ToString(), cut.Find("[role=img]").GetAttribute("data-status"));
    }

    [Theory]
    [InlineData(DeploymentStatus.Ready, "Status: Ready", "success", "check")]
    [InlineData(DeploymentStatus.Failed, "Status: Failed", "danger", "close")]
    [InlineData(DeploymentStatus.Pending, "Status: Pending", "info", "hourglass_top")]
    public void Render_Deployment_HasNameColourIconAndText(DeploymentStatus status, string name, string style, string icon)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Deployment, status));

        AssertBadge(cut, name, style, icon, status.ToString());
    }

    [Fact]
    public void Render_Label_PrefixesTheAccessibleName()
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Health, HealthStatus.Healthy).Add(b => b.Label, "Deployment health"));

        Assert.Equal("Deployment health: Healthy", cut.Find("[role=img]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_ShowLabel_MakesTheLabelVisible()
    {
        var hidden = Context.Render<StatusBadge>(p => p.Add(b => b.Health, HealthStatus.Healthy));
        var shown = Context.Render<StatusBadge>(p => p.Add(b => b.Health, HealthStatus.Healthy).Add(b => b.ShowLabel, true));

        Assert.Empty(hidden.FindAll(".pill-label"));
        Assert.Equal("Health", shown.Find(".pill-label").TextContent);
    }

    [Fact]
    public void Render_NoStatusGiven_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Context.Render<StatusBadge>());
    }

    private static void AssertBadge(IRenderedComponent<StatusBadge> cut, string name, string style, string icon, string text)
    {
        var badge = cut.Find("[role=img]");
        Assert.Equal(name, badge.GetAttribute("aria-label"));
        Assert.Equal(name, badge.GetAttribute("title"));
        Assert.Contains($"rz-badge-{style}", badge.ClassName);
        Assert.Equal(icon, badge.QuerySelector(".status-badge-icon")!.TextContent.Trim());
        Assert.EndsWith(text, badge.TextContent.Trim(), StringComparison.Ordinal);
    }
}
