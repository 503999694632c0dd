using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// The audit page left open, on a real database and a manual clock: a committed change shows on the first page
/// without a reload; on a later page the rows stay put and a button offers the newest.
/// </summary>
public sealed class AuditTests : PageTestBase
{
    [Fact]
    public async Task FirstPage_ChangeCommitted_NewEventOnTopWithoutReload()
    {
        var (agent, _) = await Seed.ReadyAsync(Db.Deployments, "audit-bot");
        var cut = Context.Render<Dashboard.Components.Pages.Audit>();
        cut.WaitForAssertion(() => Assert.NotEmpty(Events(cut)), Wait);
        Assert.DoesNotContain(Events(cut), e => e.Contains("Health Unknown → Unhealthy", StringComparison.Ordinal));

        await FlipHealthAsync(agent.Id, HealthStatus.Unhealthy);
        await DeliverLiveAsync();

        cut.WaitForAssertion(() => Assert.Equal("Health Unknown → Unhealthy", Events(cut)[0]), Wait);
        Assert.Empty(cut.FindAll(".new-events"));
    }

    [Fact]
    public async Task LaterPage_ChangeCommitted_RowsStayAndShowNewestLeadsToIt()
    {
        var (agent, _) = await Seed.ReadyAsync(Db.Deployments, "audit-pager");
        for (var i = 0; i < 60; i++) await FlipHealthAsync(agent.Id, i % 2 == 0 ? HealthStatus.Healthy : HealthStatus.Unhealthy);
        var cut = Context.Render<Dashboard.Components.Pages.Audit>();
        cut.WaitForAssertion(() => Assert.Equal(50, Events(cut).Count), Wait);
        cut.Find(".rz-pager-next").Click();
        cut.WaitForAssertion(() => Assert.Contains("page 2 of", cut.Markup, StringComparison.Ordinal), Wait);
        var shown = Events(cut);

        await FlipHealthAsync(agent.Id, HealthStatus.Unknown);
        await DeliverLiveAsync();

        var newest = cut.WaitForElement(".new-events button", Wait);
        Assert.Equal(shown, Events(cut));
        Assert.Contains("show newest", newest.TextContent, StringComparison.Ordinal);
        newest.Click();
        cut.WaitForAssertion(() => Assert.Equal("Health Unhealthy → Unknown", Events(cut)[0]), Wait);
        Assert.Empty(cut.FindAll(".new-events"));
    }

    private Task FlipHealthAsync(Guid agentId, HealthStatus health) =>
        Db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(health);
            return Task.FromResult<Outcome<bool>>(true);
        });

    private static List<string> Events(IRenderedComponent<Dashboard.Components.Pages.Audit> cut) =>
        cut.FindAll(".event-cell > span").Select(e => e.TextContent.Trim()).ToList();
}
