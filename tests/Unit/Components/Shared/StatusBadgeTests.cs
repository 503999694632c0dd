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
    [InlineData(HealthStatus.Healthy, "Health: Healthy", "success")]
    [InlineData(HealthStatus.Unhealthy, "Health: Unhealthy", "error")]
    [InlineData(HealthStatus.Unknown, "Health: Unknown", "default")]
    public void Render_Health_HasNameColourIconAndText(HealthStatus status, string name, string tone)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Health, status));

        AssertBadge(cut, name, tone, status.ToString());
        Assert.Equal(status.ToString(), cut.Find(".status-badge[role=img]").GetAttribute("data-status"));
    }

    [Theory]
    [InlineData(SyncStatus.Synced, "Sync: Synced", "success", "Synced")]
    [InlineData(SyncStatus.OutOfSync, "Sync: Out of sync", "warning", "Out of sync")]
    [InlineData(SyncStatus.Syncing, "Sync: Syncing", "info", "Syncing")]
    [InlineData(SyncStatus.Unknown, "Sync: Unknown", "default", "Unknown")]
    public void Render_Sync_ShowsWordsNotEnumNames(SyncStatus status, string name, string tone, string text)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Sync, status));

        AssertBadge(cut, name, tone, text);
        Assert.Equal(status.ToString(), cut.Find(".status-badge[role=img]").GetAttribute("data-status"));
    }

    [Theory]
    [InlineData(DeploymentStatus.Ready, "Status: Ready", "success")]
    [InlineData(DeploymentStatus.Failed, "Status: Failed", "error")]
    [InlineData(DeploymentStatus.Pending, "Status: Pending", "info")]
    public void Render_Deployment_HasNameColourIconAndText(DeploymentStatus status, string name, string tone)
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Deployment, status));

        AssertBadge(cut, name, tone, status.ToString());
    }

    [Fact]
    public void Render_Label_PrefixesTheAccessibleName()
    {
        var cut = Context.Render<StatusBadge>(p => p.Add(b => b.Health, HealthStatus.Healthy).Add(b => b.Label, "Deployment health"));

        Assert.Equal("Deployment health: Healthy", cut.Find(".status-badge[role=img]").GetAttribute("aria-label"));
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

    private static void AssertBadge(IRenderedComponent<StatusBadge> cut, string name, string tone, string text)
    {
        var badge = cut.Find(".status-badge[role=img]");
        Assert.Equal(name, badge.GetAttribute("aria-label"));
        Assert.Equal(name, badge.GetAttribute("title"));
        Assert.Equal(tone, badge.GetAttribute("data-tone"));
        Assert.Contains($"mud-chip-color-{tone}", badge.ClassName);
        // The icon says it without colour.
        Assert.NotNull(badge.QuerySelector("svg.mud-chip-icon"));
        Assert.EndsWith(text, badge.TextContent.Trim(), StringComparison.Ordinal);
    }
}
