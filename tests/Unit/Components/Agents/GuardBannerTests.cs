using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>The agent page's guard banner: what it shows for each verdict, for how long, live evidence, and Abort.</summary>
public sealed class GuardBannerTests : BunitTestBase
{
    private readonly Guid _agentId = Guid.NewGuid();
    private readonly DeploymentRow _good = Rows.Deployment("1.0.0");
    private readonly DeploymentRow _next = Rows.Deployment("2.0.0", production: true);
    private readonly FakeDashboardClient _data = new();

    public GuardBannerTests()
    {
        Context.Services.AddSingleton<IDashboardClient>(_data);
        Interactive();
    }

    [Fact]
    public void Watching_ShowsTheEvidenceWhereATripGoes_AndAbortForOperators()
    {
        var aborted = 0;
        var cut = Render(View(GuardStatus.Watching, new GuardEvidence(120, 3, HealthStatus.Healthy)), _next.Id, canOperate: true,
            onAbort: () => aborted++);

        var banner = cut.Find("[data-testid=guard-banner]");
        Assert.Equal("Watching", banner.GetAttribute("data-status"));
        Assert.Contains("Guard watching orders:2.0.0", banner.TextContent, StringComparison.Ordinal);
        Assert.Contains("6 min left", banner.TextContent, StringComparison.Ordinal);
        Assert.Equal("120 calls · 2.5 % errors (limit 5 %, judged after 20)", cut.Find("[data-testid=guard-evidence]").TextContent);
        Assert.Contains("If it trips, production returns to orders:1.0.0", banner.TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=guard-abort]").Click();
        Assert.Equal(1, aborted);
    }

    [Fact]
    public void Watching_ForAViewer_HasNoAbort()
    {
        var cut = Render(View(GuardStatus.Watching, new GuardEvidence(0, 0, HealthStatus.Unknown)), _next.Id, canOperate: false);
        Assert.Empty(cut.FindAll("[data-testid=guard-abort]"));
    }

    [Fact]
    public void Reverted_ShowsTheReasonWhileProductionIsWhereTheGuardLeftIt()
    {
        var view = View(GuardStatus.Reverted, new GuardEvidence(40, 20, HealthStatus.Healthy), "Guard tripped: error rate 50 % …", revertedTo: _good.Id);
        var cut = Render(view, _good.Id);
        Assert.Contains("Auto-reverted to orders:1.0.0", cut.Find("[data-testid=guard-banner]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Guard tripped: error rate 50 %", cut.Markup, StringComparison.Ordinal);

        // Someone promoted something else since: the revert is history (the timeline keeps it), the banner goes.
        cut = Render(view, Guid.NewGuid());
        Assert.Empty(cut.FindAll("[data-testid=guard-banner]"));
    }

    [Fact]
    public void Passed_ShowsForTenMinutes_Aborted_NotAtAll()
    {
        Assert.Single(Render(View(GuardStatus.Passed, new GuardEvidence(500, 0, HealthStatus.Healthy), endedMinutesAgo: 9), _next.Id)
            .FindAll("[data-testid=guard-banner]"));
        Assert.Empty(Render(View(GuardStatus.Passed, new GuardEvidence(500, 0, HealthStatus.Healthy), endedMinutesAgo: 11), _next.Id)
            .FindAll("[data-testid=guard-banner]"));
        Assert.Empty(Render(View(GuardStatus.Aborted, new GuardEvidence(5, 0, HealthStatus.Healthy), endedMinutesAgo: 1), _next.Id)
            .FindAll("[data-testid=guard-banner]"));
    }

    [Fact]
    public void Watching_RereadsTheEvidenceLive()
    {
        var first = View(GuardStatus.Watching, new GuardEvidence(10, 0, HealthStatus.Healthy));
        _data.Guard = new GuardInfo(first with { Evidence = new GuardEvidence(64, 32, HealthStatus.Healthy) }, null);
        var cut = Render(first, _next.Id, refresh: TimeSpan.FromMilliseconds(50));

        cut.WaitForAssertion(() => Assert.StartsWith("64 calls · 50 % errors", cut.Find("[data-testid=guard-evidence]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
    }

    private GuardView View(GuardStatus status, GuardEvidence evidence, string? reason = null, Guid? revertedTo = null, int endedMinutesAgo = 0)
    {
        var g = new Guard(Guid.NewGuid(), _agentId, _next.Id, _good.Id, new GuardSettings(TimeSpan.FromMinutes(10), 0.05, 20, true),
            Rows.Now.AddMinutes(-4), "user:ada");
        if (status != GuardStatus.Watching) g.WriteEnd(status, Rows.Now.AddMinutes(-endedMinutesAgo), reason, evidence, revertedTo);
        return new GuardView(g, evidence);
    }

    private IRenderedComponent<GuardBanner> Render(GuardView view, Guid production, bool canOperate = false, Action? onAbort = null,
        TimeSpan? refresh = null) =>
        Context.Render<GuardBanner>(p => p
            .Add(x => x.AgentId, _agentId)
            .Add(x => x.Info, new GuardInfo(view, null))
            .Add(x => x.ProductionId, production)
            .Add(x => x.Deployments, new Dictionary<Guid, DeploymentRow> { [_good.Id] = _good, [_next.Id] = _next })
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.CanOperate, canOperate)
            .Add(x => x.OnAbort, EventCallback.Factory.Create(this, () => onAbort?.Invoke()))
            .Add(x => x.RefreshInterval, refresh ?? TimeSpan.FromMinutes(5)));
}
