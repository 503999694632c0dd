using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// The audit page left open over a faked seam: a live event shows on the first page without a reload of the page;
/// on a later page the rows stay put and a button offers the newest. Kinds read as words; filters are the URL.
/// </summary>
public sealed class AuditTests : PageTestBase
{
    private readonly Guid _agent = Guid.NewGuid();
    private DateTime _at = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private long _sequence;

    [Fact]
    public async Task FirstPage_EventPublished_NewEventOnTop()
    {
        Flip("Unknown", "Healthy");
        var cut = Context.Render<Dashboard.Components.Pages.Audit>();
        cut.WaitForAssertion(() => Assert.Equal(["Health Unknown → Healthy"], Events(cut)), Wait);

        await Data.PublishAsync(new TimelineEventAdded(Flip("Healthy", "Unhealthy")));

        cut.WaitForAssertion(() => Assert.Equal("Health Healthy → Unhealthy", Events(cut)[0]), Wait);
        Assert.Empty(cut.FindAll(".new-events"));
    }

    [Fact]
    public async Task LaterPage_EventPublished_RowsStayAndShowNewestLeadsToIt()
    {
        for (var i = 0; i < 60; i++) Flip(i % 2 == 0 ? "Unknown" : "Healthy", i % 2 == 0 ? "Healthy" : "Unknown");
        var cut = Context.Render<Dashboard.Components.Pages.Audit>();
        cut.WaitForAssertion(() => Assert.Equal(50, Events(cut).Count), Wait);
        await cut.Find("button[aria-label='Next page']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(10, Events(cut).Count), Wait);
        var shown = Events(cut);

        await Data.PublishAsync(new TimelineEventAdded(Flip("Unknown", "Unhealthy")));

        var newest = cut.WaitForElement(".new-events button", Wait);
        Assert.Equal(shown, Events(cut));
        Assert.Contains("show newest", newest.TextContent, StringComparison.Ordinal);
        await newest.ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Health Unknown → Unhealthy", Events(cut)[0]), Wait);
        Assert.Empty(cut.FindAll(".new-events"));
    }

    [Fact]
    public void OpenedFromLink_KindInUrl_FiltersAndNamesTheKindInWords()
    {
        Flip("Unknown", "Healthy");
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?kind=HealthChanged");

        var cut = Context.Render<Dashboard.Components.Pages.Audit>();

        cut.WaitForAssertion(() => Assert.Single(Events(cut)), Wait);
        Assert.Equal(EventKind.HealthChanged, Data.AuditRequests[^1].Kind);
        Assert.Equal("Health changed", cut.Find(".event-cell").GetAttribute("title"));
    }

    [Fact]
    public async Task FilterTyped_Actor_GoesIntoTheUrlAndTheQuery()
    {
        Flip("Unknown", "Healthy");
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/audit");
        var cut = Context.Render<Dashboard.Components.Pages.Audit>();
        cut.WaitForAssertion(() => Assert.Single(Events(cut)), Wait);

        await cut.Find("input[aria-label='Filter by actor']").ChangeAsync(new() { Value = " user:alice " });

        cut.WaitForAssertion(() => Assert.EndsWith("/audit?actor=user%3Aalice", navigation.Uri, StringComparison.Ordinal), Wait);
        cut.WaitForAssertion(() => Assert.Equal("user:alice", Data.AuditRequests[^1].Actor), Wait);
    }

    [Fact]
    public void LongReason_StartsCollapsedAndHoldsTheWholeText()
    {
        var reason = string.Join(' ', Enumerable.Repeat("the error rate doubled after the cut-over", 6));
        Data.AuditEvents.Add(new EventRow(Guid.NewGuid(), _agent, "bot", null, EventKind.RolledBack, "user:ops", reason, null, null, _at, 1));

        var cut = Context.Render<Dashboard.Components.Pages.Audit>();

        var details = cut.WaitForElement("details.reason-long", Wait);
        Assert.False(details.HasAttribute("open"));
        Assert.Contains(reason, details.TextContent, StringComparison.Ordinal);
    }

    private EventRow Flip(string from, string to)
    {
        _at = _at.AddSeconds(1);
        var e = new EventRow(Guid.NewGuid(), _agent, "audit-bot", null, EventKind.HealthChanged, "system", null, from, to, _at, ++_sequence);
        Data.AuditEvents.Add(e);
        return e;
    }

    private static List<string> Events(IRenderedComponent<Dashboard.Components.Pages.Audit> cut) =>
        cut.FindAll(".event-cell > span").Select(e => e.TextContent.Trim()).ToList();
}
