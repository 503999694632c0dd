using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Health;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Live;

/// <summary>The hub against a real Kestrel socket, with the SignalR .NET client.</summary>
public sealed class StatusHubTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task StatusChanged_EachTransition_ArrivesExactlyOnceWithinASecond()
    {
        var (agentId, deploymentId) = await AppSeed.ProductionAgentAsync(app.Services, "hub-reporter");
        using var agentClient = new HttpClient { BaseAddress = app.Address };
        agentClient.DefaultRequestHeaders.Authorization = new("Bearer", await AppSeed.AgentTokenAsync(app.Services, "hub-reporter"));
        await using var hub = await StatusHubClient.ConnectAsync(app.Address, Infrastructure.CutoverAppFactory.AdminToken, inQuery: true);
        var start = app.Services.GetRequiredService<StatusBus>().Current(agentId)!.Sequence;

        // The seed's own changes (committed before the connection) may still be on their way to the hub when it
        // connects; they precede `start` and are skipped. Everything after `start` must arrive exactly once, in order.
        var clock = Stopwatch.StartNew();
        await PostHealthAsync(agentClient, agentId, "Healthy");
        var deploymentChange = await hub.WaitForAsync(c => Str(c, "agentId") != agentId.ToString() || c.GetProperty("sequence").GetInt64() > start, Second);
        var agentChange = await hub.NextStatusChangedAsync(Remaining(clock));

        Assert.Equal(["agentId", "deploymentId", "field", "from", "to", "sequence", "at"],
            deploymentChange.EnumerateObject().Select(p => p.Name));
        Assert.Equal((agentId.ToString(), deploymentId.ToString(), StatusField.DeploymentHealth, "Unknown", "Healthy", start + 1),
            (Str(deploymentChange, "agentId"), Str(deploymentChange, "deploymentId"), Str(deploymentChange, "field"),
                Str(deploymentChange, "from"), Str(deploymentChange, "to"), deploymentChange.GetProperty("sequence").GetInt64()));
        Assert.Equal((StatusField.Health, "Healthy", start + 2),
            (Str(agentChange, "field"), Str(agentChange, "to"), agentChange.GetProperty("sequence").GetInt64()));
        Assert.True(DateTime.TryParse(Str(agentChange, "at"), out _));

        // A repeated report is no transition: it must publish nothing. The next transition's changes come next.
        await PostHealthAsync(agentClient, agentId, "Healthy");
        clock.Restart();
        await PostHealthAsync(agentClient, agentId, "Unhealthy");
        var down = await hub.NextStatusChangedAsync(Second);
        var agentDown = await hub.NextStatusChangedAsync(Remaining(clock));
        Assert.Equal((start + 3, "Unhealthy"), (down.GetProperty("sequence").GetInt64(), Str(down, "to")));
        Assert.Equal((start + 4, StatusField.Health), (agentDown.GetProperty("sequence").GetInt64(), Str(agentDown, "field")));

        // Nothing else is queued: the next message is a sentinel committed after everything above.
        var sentinel = await app.Services.GetRequiredService<StatusChokepoint>().EnsureAgentAsync("hub-sentinel", null, "test", default);
        Assert.Equal(sentinel.Id.ToString(), Str(await hub.NextStatusChangedAsync(Second), "agentId"));
    }

    [Fact]
    public async Task Subscribe_OneAgent_ReceivesOnlyItsChanges_UnsubscribeRestoresAll()
    {
        var chokepoint = app.Services.GetRequiredService<StatusChokepoint>();
        var x = await chokepoint.EnsureAgentAsync("hub-x", null, "test", default);
        var y = await chokepoint.EnsureAgentAsync("hub-y", null, "test", default);
        await using var narrow = await StatusHubClient.ConnectAsync(app.Address, Infrastructure.CutoverAppFactory.AdminToken);
        await using var wide = await StatusHubClient.ConnectAsync(app.Address, Infrastructure.CutoverAppFactory.AdminToken);
        await narrow.Connection.InvokeAsync("Subscribe", x.Id);

        await SetHealthAsync(chokepoint, y.Id, HealthStatus.Healthy);
        await SetHealthAsync(chokepoint, x.Id, HealthStatus.Healthy);

        Assert.Equal(x.Id.ToString(), Str(await narrow.NextStatusChangedAsync(Second), "agentId"));
        Assert.Equal(y.Id.ToString(), Str(await wide.NextStatusChangedAsync(Second), "agentId"));
        Assert.Equal(x.Id.ToString(), Str(await wide.NextStatusChangedAsync(Second), "agentId"));

        await narrow.Connection.InvokeAsync("Unsubscribe", x.Id);
        await SetHealthAsync(chokepoint, y.Id, HealthStatus.Unhealthy);
        Assert.Equal(y.Id.ToString(), Str(await narrow.NextStatusChangedAsync(Second), "agentId"));
    }

    [Fact]
    public async Task Connect_WithoutToken_IsRefused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusHubClient.RefusalAsync(app.Address, token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusHubClient.RefusalAsync(app.Address, "cut_pat_not-a-real-token-at-all-000000000"));
    }

    [Fact]
    public async Task Connect_AgentToken_IsForbidden_HubIsForViewers()
    {
        await AppSeed.ProductionAgentAsync(app.Services, "hub-agent");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusHubClient.RefusalAsync(app.Address, await AppSeed.AgentTokenAsync(app.Services, "hub-agent")));
    }

    private static async Task PostHealthAsync(HttpClient client, Guid agentId, string status)
    {
        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/health", new { status });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static Task<Outcome<bool>> SetHealthAsync(StatusChokepoint chokepoint, Guid agentId, HealthStatus to) =>
        chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(to);
            return Task.FromResult<Outcome<bool>>(true);
        });

    /// <summary>What is left of the one-second budget that started with the clock (never zero or less).</summary>
    private static TimeSpan Remaining(Stopwatch clock) => TimeSpan.FromTicks(Math.Max(Second.Ticks - clock.Elapsed.Ticks, TimeSpan.TicksPerMillisecond));

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).GetString();
}
