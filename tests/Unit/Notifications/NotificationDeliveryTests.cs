using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>
/// Issue 19 item 6: delivery to a real receiver that is down for a while (refusing connections, then answering 500,
/// then stalling past the timeout once) and then comes up. Every event arrives, exactly as signed; none is lost;
/// repeats carry the same delivery id and the same bytes. Undelivered rows survive a restart of the app.
/// </summary>
public sealed class NotificationDeliveryTests
{
    private const string Secret = "receiver-shared-secret-4f1e9a";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReceiverDownForAWhile_EveryEventArrivesAsSigned_NoneLost_RepeatsBySameId()
    {
        await using var receiver = new WebhookReceiver();
        using var app = new NotificationAppFactory();
        using var admin = app.CreateAdminClient();
        var subscription = await SubscribeAsync(admin, "down-for-a-while", receiver.Url, [.. NotificationEvents.All]);

        // Eight events from real changes through the chokepoint, and one test event through the API.
        var chokepoint = app.Services.GetRequiredService<StatusChokepoint>();
        var agent = await chokepoint.EnsureAgentAsync("notify-bot", null, "test", default);
        for (var i = 0; i < 6; i++)
        {
            await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Unhealthy, $"probe {i} failed"));
            await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Healthy));
        }

        for (var i = 0; i < 2; i++)
        {
            await ChangeAsync(chokepoint, agent.Id, t =>
                t.SetDeploymentStatus(t.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse($"cutover/sample-agent:9.{i}"), "{}"), DeploymentStatus.Failed, "exited with code 1"));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/notifications/{subscription}/test", null)).StatusCode);

        // Down (nothing listens): every row is tried, refused, and scheduled again with a growing wait.
        await UntilAsync(async () => (await RowsAsync(app)).All(r => r.Attempts >= 3), "every row refused three times");
        var refused = await RowsAsync(app);
        Assert.Equal(9, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(DeliveryStatus.Pending, r.Status);
            Assert.Null(r.LastStatusCode);
            Assert.Contains("refused", r.LastError, StringComparison.OrdinalIgnoreCase);
            // Backoff: after n failures the next try is at least half of base × 2^(n−1) (capped) after the last.
            var full = Math.Min(NotificationAppFactory.RetryBase.TotalMilliseconds * Math.Pow(2, r.Attempts - 1), NotificationAppFactory.RetryCap.TotalMilliseconds);
            Assert.InRange((r.NextAttemptAt - r.LastAttemptAt!.Value).TotalMilliseconds, full / 2 - 1, full + 1);
        });
        Assert.Empty(receiver.Arrivals);
        // The API shows the same: status, attempts, last error, next attempt.
        var shown = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/{subscription}/deliveries");
        Assert.All(shown.EnumerateArray(), d =>
        {
            Assert.Equal("Pending", d.GetProperty("status").GetString());
            Assert.True(d.GetProperty("attempts").GetInt32() >= 3);
            Assert.Equal(JsonValueKind.String, d.GetProperty("nextAttemptAt").ValueKind);
        });

        // Up, but failing: five 500s, then one answer that comes after the sender's timeout, then all accepted.
        await receiver.StartAsync(failures: 5, stalls: 1, stall: NotificationAppFactory.AttemptTimeout * 3);
        await UntilAsync(async () => (await RowsAsync(app)).All(r => r.Status == DeliveryStatus.Delivered), "every row delivered");

        var rows = await RowsAsync(app);
        var arrivals = receiver.Arrivals.ToList();
        // None lost, none invented: the ids that arrived are exactly the outbox's rows.
        Assert.Equal(rows.Select(r => r.Id.ToString()).Order(), arrivals.Select(a => a.DeliveryId).Distinct().Order());
        // Repeats happened (the 500s and the stall), and a repeat is the same delivery: same id, same bytes, same signature.
        Assert.True(arrivals.Count >= rows.Count + 6, $"expected at least 6 repeats, saw {arrivals.Count - rows.Count}");
        foreach (var group in arrivals.GroupBy(a => a.DeliveryId))
        {
            var first = group.First();
            Assert.All(group, a => Assert.Equal(first.Body, a.Body));
            Assert.All(group, a => Assert.Equal(first.Signature, a.Signature));
            Assert.Equal(rows.Single(r => r.Id.ToString() == group.Key).Body, Encoding.UTF8.GetString(first.Body));
        }

        Assert.All(arrivals, a => Assert.True(WebhookReceiver.SignatureValid(Secret, a), $"signature of {a.DeliveryId} does not verify"));
        Assert.All(arrivals, a => Assert.False(WebhookReceiver.SignatureValid("another-secret", a)));
        var bodies = arrivals.DistinctBy(a => a.DeliveryId).Select(a => JsonDocument.Parse(a.Body).RootElement).ToList();
        Assert.All(bodies, b => Assert.False(string.IsNullOrWhiteSpace(b.GetProperty("text").GetString())));
        Assert.Equal(6, bodies.Count(b => b.GetProperty("event").GetString() == NotificationEvents.ProductionUnhealthy));
        Assert.Equal(2, bodies.Count(b => b.GetProperty("event").GetString() == NotificationEvents.DeployFailed));
        Assert.Single(bodies, b => b.GetProperty("event").GetString() == NotificationEvents.Test);
        Assert.All(arrivals, a => Assert.Equal(JsonDocument.Parse(a.Body).RootElement.GetProperty("event").GetString(), a.Event));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"probe {i} failed"),
            bodies.Where(b => b.GetProperty("event").GetString() == NotificationEvents.ProductionUnhealthy)
                .OrderBy(b => b.GetProperty("at").GetDateTime()).Select(b => b.GetProperty("reason").GetString()));

        // The secret and the signatures never reach the log.
        var log = string.Join("\n", app.Logs.Lines);
        Assert.Contains("refused", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, log);
        foreach (var signature in arrivals.Select(a => a.Signature).Distinct()) Assert.DoesNotContain(signature["sha256=".Length..], log);
    }

    [Fact]
    public async Task AppRestartsWithUndeliveredRows_TheyAreDeliveredAfterTheRestart()
    {
        await using var receiver = new WebhookReceiver();
        using var holder = new CutoverAppFactory();
        Guid subscription;
        List<NotificationDelivery> before;
        using (var first = new NotificationAppFactory(holder.DatabasePath))
        {
            using var admin = first.CreateAdminClient();
            subscription = await SubscribeAsync(admin, "restart", receiver.Url, [NotificationEvents.ProductionUnhealthy]);
            var chokepoint = first.Services.GetRequiredService<StatusChokepoint>();
            var agent = await chokepoint.EnsureAgentAsync("restart-bot", null, "test", default);
            for (var i = 0; i < 3; i++)
            {
                await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Unhealthy));
                await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Healthy));
            }

            await UntilAsync(async () => (await RowsAsync(first)) is { Count: 3 } rows && rows.All(r => r.Attempts >= 1), "three rows tried");
            before = await RowsAsync(first);
            Assert.All(before, r => Assert.Equal(DeliveryStatus.Pending, r.Status));
        }

        await receiver.StartAsync();
        using var second = new NotificationAppFactory(holder.DatabasePath);
        _ = second.Services;
        await UntilAsync(async () => (await RowsAsync(second)).All(r => r.Status == DeliveryStatus.Delivered), "rows delivered after the restart");

        Assert.Equal(before.Select(r => r.Id.ToString()).Order(), receiver.Arrivals.Select(a => a.DeliveryId).Distinct().Order());
        Assert.All(receiver.Arrivals, a => Assert.True(WebhookReceiver.SignatureValid(Secret, a)));
        Assert.All(receiver.Arrivals, a => Assert.Equal(before.Single(r => r.Id.ToString() == a.DeliveryId).Body, Encoding.UTF8.GetString(a.Body)));
        Assert.All(await RowsAsync(second), r => Assert.Equal(subscription, r.SubscriptionId));
    }

    [Fact]
    public async Task ReceiverThatNeverAccepts_RowIsDeadAfterMaxAttempts_AndKept()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync(failures: int.MaxValue);
        using var app = new NotificationAppFactory(maxAttempts: 3);
        using var admin = app.CreateAdminClient();
        var subscription = await SubscribeAsync(admin, "always-500", receiver.Url, [NotificationEvents.Promoted]);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/notifications/{subscription}/test", null)).StatusCode);
        await UntilAsync(async () => (await RowsAsync(app)).All(r => r.Status == DeliveryStatus.Dead), "the row given up on");

        var row = Assert.Single(await RowsAsync(app));
        Assert.Equal(3, row.Attempts);
        Assert.Equal(500, row.LastStatusCode);
        Assert.Equal(3, receiver.Arrivals.Count);
        var shown = Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/{subscription}/deliveries")).EnumerateArray());
        Assert.Equal("Dead", shown.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("nextAttemptAt").ValueKind);
        Assert.StartsWith("HTTP 500", shown.GetProperty("lastError").GetString());
    }

    /// <summary>One round, driven by hand (the worker's own ticks are an hour apart): a down receiver's backlog fills no one else's batch.</summary>
    [Fact]
    public async Task DownReceiverWithABacklog_DoesNotHoldBackAnotherSubscription()
    {
        await using var down = new WebhookReceiver();
        await using var up = new WebhookReceiver();
        await up.StartAsync();
        using var app = new NotificationAppFactory(pollInterval: "01:00:00", batchSize: 5);
        using var admin = app.CreateAdminClient();
        var backlogged = await SubscribeAsync(admin, "backlogged", down.Url, [NotificationEvents.ProductionUnhealthy]);
        var chokepoint = app.Services.GetRequiredService<StatusChokepoint>();
        var agent = await chokepoint.EnsureAgentAsync("backlog-bot", null, "test", default);
        for (var i = 0; i < 8; i++)
        {
            await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Unhealthy));
            await ChangeAsync(chokepoint, agent.Id, t => t.SetAgentHealth(HealthStatus.Healthy));
        }

        var healthy = await SubscribeAsync(admin, "healthy", up.Url, [NotificationEvents.DeployFailed]);
        await ChangeAsync(chokepoint, agent.Id, t =>
            t.SetDeploymentStatus(t.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse("cutover/sample-agent:9.9"), "{}"), DeploymentStatus.Failed, "exited"));

        await app.Services.GetRequiredService<Cutover.Dashboard.Notifications.NotificationDeliveryWorker>().DeliverDueAsync(default);

        var rows = await RowsAsync(app);
        Assert.Equal(DeliveryStatus.Delivered, rows.Single(r => r.SubscriptionId == healthy).Status);
        Assert.Single(up.Arrivals);
        // The down receiver got one attempt (its oldest row); the rest of its backlog waits untouched.
        var backlog = rows.Where(r => r.SubscriptionId == backlogged).ToList();
        Assert.Equal(8, backlog.Count);
        Assert.Equal(1, backlog.Sum(r => r.Attempts));
        Assert.Equal(1, backlog.First().Attempts);
    }

    private static async Task<Guid> SubscribeAsync(HttpClient admin, string name, string url, string[] events)
    {
        var response = await admin.PostAsJsonAsync("/api/notifications", new { name, url, events, secret = Secret });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task ChangeAsync(StatusChokepoint chokepoint, Guid agentId, Func<StatusTransaction, Failure?> change)
    {
        var outcome = await chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
            Task.FromResult<Outcome<bool>>(change(t) is { } f ? f : true));
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
    }

    private static async Task ChangeAsync(StatusChokepoint chokepoint, Guid agentId, Action<StatusTransaction> change) =>
        await ChangeAsync(chokepoint, agentId, t =>
        {
            change(t);
            return null;
        });

    private static async Task<List<NotificationDelivery>> RowsAsync(CutoverAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        return await db.Set<NotificationDelivery>().AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync();
    }

    /// <summary>Waits for a condition (checked every 50 ms), failing with <paramref name="what"/> after a minute.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {Wait.TotalSeconds} s waiting for: {what}");
            }
        }
    }
}
