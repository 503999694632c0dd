using Bunit;
using Cutover.Core.Notifications;
using Cutover.Dashboard.Notifications;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Cutover.Tests.Unit.Components.Notifications;

/// <summary>The Notifications page over its seam, the real service and a real SQLite database: add, test, watch a delivery, remove.</summary>
public sealed class NotificationsPageTests : BunitTestBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TestDatabase _db = new();
    private readonly NotificationService _service;

    public NotificationsPageTests()
    {
        _service = new NotificationService(_db.Factory, new PlainSecrets(), new NotificationSubscriptions(), TimeProvider.System);
        Context.AddAuthorization().SetAuthorized("admin").SetPolicies(Policies.Viewer, Policies.Operator, Policies.Admin);
        Context.Services.AddSingleton<INotificationsClient>(new NotificationsClient(_service,
            new UrlSafety(new OptionsMonitorStub(new UrlSafetyOptions()))));
        Context.Services.AddScoped<ActionGuard>();
        Interactive();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task Add_WithTheForm_ShowsTheSubscription_SecretStoredProtected()
    {
        var cut = Context.Render<Dashboard.Components.Pages.Notifications>();
        cut.WaitForAssertion(() => Assert.Contains("No notifications yet", cut.Markup), Wait);

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Contains("New notification")).Click());
        var inputs = cut.FindAll("input.mud-input-slot");
        await cut.InvokeAsync(() => inputs[0].Change("ops-channel"));
        await cut.InvokeAsync(() => cut.FindAll("input.mud-input-slot")[1].Change("http://127.0.0.1:9/hooks/ops"));
        await cut.InvokeAsync(() => cut.FindAll("input.mud-input-slot")[2].Change("page-secret-value"));
        await cut.InvokeAsync(() => Checkbox(cut, "Promoted").Change(true));
        await cut.InvokeAsync(() => Checkbox(cut, "Auto-reverted by a guard").Change(true));
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[aria-label='Notification ops-channel']")), Wait);
        var card = cut.Find("[aria-label='Notification ops-channel']").TextContent;
        Assert.Contains("Promoted", card);
        Assert.Contains("Auto-reverted by a guard", card);
        Assert.Contains("Signed", card);
        Assert.DoesNotContain("page-secret-value", cut.Markup);
        var stored = Assert.Single(await _service.ListAsync(default));
        Assert.Equal([NotificationEvents.Promoted, NotificationEvents.AutoReverted], stored.Events);
        Assert.DoesNotContain("page-secret-value", stored.ProtectedSecret);
    }

    [Fact]
    public async Task Add_UnsafeUrl_ShowsTheReason_AndAddsNothing()
    {
        var cut = Context.Render<Dashboard.Components.Pages.Notifications>();
        cut.WaitForAssertion(() => Assert.Contains("No notifications yet", cut.Markup), Wait);
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Contains("New notification")).Click());
        await cut.InvokeAsync(() => cut.FindAll("input.mud-input-slot")[0].Change("metadata"));
        await cut.InvokeAsync(() => cut.FindAll("input.mud-input-slot")[1].Change("http://169.254.169.254/latest"));
        await cut.InvokeAsync(() => Checkbox(cut, "Promoted").Change(true));
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.Contains("link-local or cloud metadata", cut.Find(".form-error").TextContent), Wait);
        Assert.Empty(await _service.ListAsync(default));
    }

    [Fact]
    public async Task SendTest_ThenTheWorkerDelivers_TheRowFollowsLive_AndRemove_AsksFirst()
    {
        var created = await _service.CreateAsync(new NewNotification("alerts", "http://127.0.0.1:9/hook", [NotificationEvents.Promoted], null), "admin", default);
        var dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<Dashboard.Components.Pages.Notifications>();
        cut.WaitForAssertion(() => Assert.Contains("Nothing sent yet", cut.Markup), Wait);

        await cut.InvokeAsync(() => cut.Find("[aria-label='Send a test to alerts']").Click());
        cut.WaitForAssertion(() => Assert.Contains("Pending", cut.Find("[aria-label='Deliveries of alerts']").TextContent), Wait);

        // What the worker does after an attempt: write the outcome, then tell this node's pages.
        await using (var db = _db.Open())
        {
            var row = await db.Set<NotificationDelivery>().SingleAsync();
            row.Failed(503, "HTTP 503 Service Unavailable", DateTime.UtcNow, DateTime.UtcNow.AddSeconds(4));
            await db.SaveChangesAsync();
        }

        _service.Notify();
        cut.WaitForAssertion(() => Assert.Contains("Retrying", cut.Find("[aria-label='Deliveries of alerts']").TextContent), Wait);
        Assert.Contains("HTTP 503 Service Unavailable", cut.Find("[aria-label='Deliveries of alerts']").TextContent);

        await cut.InvokeAsync(() => cut.Find("[aria-label='Remove alerts']").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Remove “alerts”?", dialogs.Markup), Wait);
        Assert.Single(await _service.ListAsync(default));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").Click());

        cut.WaitForAssertion(() => Assert.Contains("No notifications yet", cut.Markup), Wait);
        Assert.Empty(await _service.ListAsync(default));
        Assert.True(created.IsSuccess);
    }

    private static AngleSharp.Dom.IElement Checkbox(IRenderedComponent<Dashboard.Components.Pages.Notifications> cut, string label) =>
        cut.FindAll("label").First(l => l.TextContent.Trim() == label).QuerySelector("input[type=checkbox]")!;

    private sealed class OptionsMonitorStub(UrlSafetyOptions value) : IOptionsMonitor<UrlSafetyOptions>
    {
        public UrlSafetyOptions CurrentValue => value;

        public UrlSafetyOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<UrlSafetyOptions, string?> listener) => null;
    }
}
