using Bunit;
using Cutover.Core.Domain;
using Cutover.Dashboard.Components.Agents;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Components.Agents;

public sealed class StatusPillTests : BunitTestBase
{
    public StatusPillTests() => Interactive();

    [Fact]
    public void Render_Unhealthy_UsesDangerToneAndNamesTheField()
    {
        var cut = Context.Render<StatusPill>(p => p.Add(x => x.Health, HealthStatus.Unhealthy));

        var badge = cut.Find(".rz-badge");
        Assert.Contains("rz-badge-danger", badge.ClassName);
        Assert.Equal("Health: Unhealthy", badge.GetAttribute("title"));
        Assert.Equal("Health: Unhealthy", badge.TextContent.Trim());
    }

    [Theory]
    [InlineData(SyncStatus.Synced, "rz-badge-success", "Synced")]
    [InlineData(SyncStatus.OutOfSync, "rz-badge-warning", "Out of sync")]
    [InlineData(SyncStatus.Syncing, "rz-badge-info", "Syncing")]
    [InlineData(SyncStatus.Unknown, "rz-badge-base", "Unknown")]
    public void Render_Sync_ShowsWordsAndTheSharedTone(SyncStatus sync, string tone, string text)
    {
        var cut = Context.Render<StatusPill>(p => p.Add(x => x.Sync, sync));

        var badge = cut.Find(".rz-badge");
        Assert.Contains(tone, badge.ClassName);
        Assert.EndsWith(text, badge.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(sync.ToString(), badge.GetAttribute("data-status"));
    }

    [Fact]
    public void Render_ShowLabel_MakesTheFieldNameVisible()
    {
        var cut = Context.Render<StatusPill>(p => p.Add(x => x.Health, HealthStatus.Healthy).Add(x => x.ShowLabel, true));

        Assert.Empty(cut.FindAll(".visually-hidden"));
        Assert.Equal("Health ", cut.Find(".pill-label").TextContent);
    }

    [Fact]
    public void Render_NoStatusGiven_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Context.Render<StatusPill>());
    }
}
