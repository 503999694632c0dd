using Bunit;
using Cutover.Core.Domain;
using Cutover.Dashboard.Components.Shared;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Live;

public sealed class BadgeTests : BunitTestBase
{
    [Theory]
    [InlineData(HealthStatus.Healthy, "Health: Healthy", "success", "check_circle")]
    [InlineData(HealthStatus.Unhealthy, "Health: Unhealthy", "danger", "error")]
    [InlineData(HealthStatus.Unknown, "Health: Unknown", "base", "help")]
    public void HealthBadge_Status_HasNameColourIconAndText(HealthStatus status, string name, string style, string icon)
    {
        var cut = Context.Render<HealthBadge>(p => p.Add(b => b.Status, status));

        var badge = cut.Find("[role=img]");
        Assert.Equal(name, badge.GetAttribute("aria-label"));
        Assert.Contains($"rz-badge-{style}", badge.ClassName);
        Assert.Contains(icon, badge.TextContent);
        Assert.EndsWith(status.ToString(), badge.TextContent.Trim());
    }

    [Fact]
    public void HealthBadge_Label_PrefixesTheAccessibleName()
    {
        var cut = Context.Render<HealthBadge>(p => p.Add(b => b.Status, HealthStatus.Healthy).Add(b => b.Label, "Deployment health"));
        Assert.Equal("Deployment health: Healthy", cut.Find("[role=img]").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(SyncStatus.Synced, "Sync: Synced", "success")]
    [InlineData(SyncStatus.OutOfSync, "Sync: Out of sync", "warning")]
    [InlineData(SyncStatus.Syncing, "Sync: Syncing", "info")]
    [InlineData(SyncStatus.Unknown, "Sync: Unknown", "base")]
    public void SyncBadge_Status_HasNameColourAndText(SyncStatus status, string name, string style)
    {
        var cut = Context.Render<SyncBadge>(p => p.Add(b => b.Status, status));

        var badge = cut.Find("[role=img]");
        Assert.Equal(name, badge.GetAttribute("aria-label"));
        Assert.Contains($"rz-badge-{style}", badge.ClassName);
        Assert.EndsWith(name["Sync: ".Length..], badge.TextContent.Trim());
    }
}
