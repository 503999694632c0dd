using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>API.md "Notifications (admin)" over real HTTP on the real app: roles, validation, secrets, remove, test.</summary>
public sealed class NotificationsApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    private const string Secret = "notify-secret-text-0123456789";

    private static object Body(string? name = "team", string? url = "http://127.0.0.1:9/hook", string[]? events = null, string? secret = Secret) =>
        new { name, url, events = events ?? [NotificationEvents.Promoted, NotificationEvents.DeployFailed], secret };

    [Fact]
    public async Task Create_AsAdmin_201_SecretEncryptedAndNeverReturned()
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/notifications", Body(name: "secret-check"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(created);
        var id = doc.RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/notifications/{id}", response.Headers.Location?.OriginalString);
        Assert.True(doc.RootElement.GetProperty("hasSecret").GetBoolean());
        Assert.Equal(["promoted", "deployFailed"], doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var listed = await admin.GetStringAsync("/api/notifications");
        Assert.Contains(id.ToString(), listed);
        foreach (var text in new[] { created, listed }) Assert.DoesNotContain(Secret, text);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        var row = await db.Set<NotificationSubscription>().AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.DoesNotContain(Secret, row.ProtectedSecret);
        Assert.Equal(Secret, app.Services.GetRequiredService<INotificationSecrets>().Unprotect(row.ProtectedSecret!));
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Operator)]
    public async Task EveryEndpoint_BelowAdmin_403(Role role)
    {
        using var admin = app.CreateAdminClient();
        var id = (await (await admin.PostAsJsonAsync("/api/notifications", Body(name: $"roles-{role}"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var client = app.CreateClient(await ApiTokens.CreateAsync(app.Services, role));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/notifications", Body(name: "not-allowed"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/notifications/{id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/notifications/{id}/deliveries")).StatusCode);
        using var anonymous = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications")).StatusCode);
        // Nothing was created or removed by the refused calls.
        var names = (await admin.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains($"roles-{role}", names);
        Assert.DoesNotContain("not-allowed", names);
    }

    public static TheoryData<string, object> InvalidBodies() => new()
    {
        { "name", Body(name: null) },
        { "name", Body(name: new string('n', 101)) },
        { "url", Body(url: null) },
        { "url", Body(url: "/relative/hook") },
        { "url", Body(url: "ftp://example.com/hook") },
        { "url", Body(url: "http://169.254.169.254/latest/meta-data") },
        { "url", Body(url: "http://user:pass@example.com/hook") },
        { "events", Body(events: []) },
        { "events", Body(events: ["promoted", "somethingElse"]) },
        { "events", Body(events: ["test"]) },
        { "secret", Body(secret: new string('s', 1025)) },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidField_400NamingIt_AndCreatesNothing(string field, object body)
    {
        using var admin = app.CreateAdminClient();
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/notifications")).GetArrayLength();

        var response = await admin.PostAsJsonAsync("/api/notifications", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonElement>("/api/notifications")).GetArrayLength());
    }

    [Fact]
    public async Task Create_MalformedJson_400()
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsync("/api/notifications", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Test_QueuesATestEventThroughTheOutbox_AndDelete_RemovesItAndItsRows()
    {
        using var admin = app.CreateAdminClient();
        var id = (await (await admin.PostAsJsonAsync("/api/notifications", Body(name: "test-and-remove"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var test = await admin.PostAsync($"/api/notifications/{id}/test", null);

        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var deliveryId = (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deliveries = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/{id}/deliveries");
        var listed = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal(deliveryId, listed.GetProperty("id").GetGuid());
        Assert.Equal("test", listed.GetProperty("event").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/notifications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/notifications/{id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/notifications/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync("/api/notifications/not-a-guid")).StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<NotificationDelivery>().AnyAsync(d => d.SubscriptionId == id));
    }

    /// <summary>A git source's failed sync is written outside the chokepoint; its notification joins that write.</summary>
    [Fact]
    public async Task SourceSyncFails_RaisesSyncFailed()
    {
        using var admin = app.CreateAdminClient();
        var id = (await (await admin.PostAsJsonAsync("/api/notifications", Body(name: "sources", events: [NotificationEvents.SyncFailed])))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var missing = Path.Combine(app.Directory, "no-such-repo");
        var source = await admin.PostAsJsonAsync("/api/sources", new { name = "broken-source", repoUrl = new Uri(missing).AbsoluteUri, pollInterval = "00:00:00" });
        Assert.Equal(HttpStatusCode.Created, source.StatusCode);
        var sourceId = (await source.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/sources/{sourceId}/sync", null)).StatusCode);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonElement row;
        while (true)
        {
            var list = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/{id}/deliveries", timeout.Token);
            if (list.GetArrayLength() > 0)
            {
                row = list[0];
                break;
            }

            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal("syncFailed", row.GetProperty("event").GetString());
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        var stored = await db.Set<NotificationDelivery>().AsNoTracking().SingleAsync(d => d.SubscriptionId == id);
        using var body = JsonDocument.Parse(stored.Body);
        Assert.Equal("broken-source", body.RootElement.GetProperty("source").GetProperty("name").GetString());
        Assert.StartsWith("Source *broken-source*: sync failed: ", body.RootElement.GetProperty("text").GetString());
    }
}
