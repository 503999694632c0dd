using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.E2E.ScaleOut;
using Cutover.Tests.E2E.Journeys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Guards;

/// <summary>
/// Guarded promotion against the real app: real sample agents started by the local runtime, switched to fail on
/// demand (<c>agent/fault</c>); a guarded promote in a real browser that reverts by itself, live on the agent page;
/// no revert in healthy windows; and a guard that survives a killed and restarted Cutover.
/// </summary>
public sealed class GuardedPromotionTests(GuardFixture fx) : IClassFixture<GuardFixture>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private const string FailRpcs = """{"jsonrpc":"2.0","id":1,"method":"agent/fault","params":{"rpc":"fail"}}""";

    [Fact]
    public async Task GuardedPromote_NewVersionStartsFailing_RevertsLiveOnTheAgentPage()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "guarded-" + Guid.NewGuid().ToString("N")[..6], 1);
        using var client = fx.App.CreateClient();
        var v1 = await DeployReadyAsync(client, agent.Id, "cutover/sample-agent:1.0");
        await GuardApi.PromoteAsync(client, agent.Id, v1, guard: null);
        await GuardApi.HealthyAsync(client, agent.Id, v1, ReadyTimeout);
        var v2 = await DeployReadyAsync(client, agent.Id, "cutover/sample-agent:2.0");
        await GuardApi.HealthyAsync(client, agent.Id, v2, ReadyTimeout);

        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync("cutover/sample-agent:1.0");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "sample-agent:2.0" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        // A promote offers a guard, on, with the house defaults; it says where a trip would go.
        await Expect(dialog.GetByLabel("Watch it and revert automatically if it goes bad")).ToBeCheckedAsync();
        await Expect(dialog.GetByTestId("guard-revert-to")).ToContainTextAsync("returns to sample-agent:1.0");
        await Expect(dialog.GetByTestId("target-now")).ToContainTextAsync("Healthy");
        await dialog.GetByLabel("Judge after (calls)").FillAsync("5");
        await BrowserFixture.ScreenshotAsync(page, "guard-promote-dialog-1280-light", fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Promote", Exact = true }).ClickAsync();

        var banner = page.GetByTestId("guard-banner");
        await Expect(banner).ToHaveAttributeAsync("data-status", "Watching");
        await Expect(banner).ToContainTextAsync("Guard watching sample-agent:2.0");
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync("cutover/sample-agent:2.0");
        var guard = await GuardApi.GuardAsync(client, agent.Id);
        Assert.Equal(5, guard!.Value.GetProperty("settings").GetProperty("minRequests").GetInt32());
        Assert.Equal(v1, guard.Value.GetProperty("previousDeploymentId").GetGuid());

        // The new version goes bad: every RPC through Cutover is a 500 from now on.
        Assert.Equal(HttpStatusCode.OK, await GuardApi.RpcAsync(client, agent.Id, FailRpcs, v2));
        for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.InternalServerError, await GuardApi.RpcAsync(client, agent.Id));

        // Live, without a reload: the banner says what happened and production is the good version again.
        await Expect(banner).ToHaveAttributeAsync("data-status", "Reverted", new() { Timeout = 20_000 });
        await Expect(banner).ToContainTextAsync("Auto-reverted to sample-agent:1.0");
        await Expect(banner).ToContainTextAsync("above the limit of 5 %");
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync("cutover/sample-agent:1.0");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Deployment timeline" }).GetByText("Guard reverted production to sample-agent:1.0")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "guard-reverted-1280-light");
        Assert.Equal(v1, await GuardApi.ProductionAsync(client, agent.Id));
        Assert.Equal(HttpStatusCode.OK, await GuardApi.RpcAsync(client, agent.Id));
    }

    [Fact]
    public async Task TwentyGuardedPromotes_InHealthyWindows_NoFalseRevert()
    {
        // Five agents, each with two healthy versions, promoted back and forth four times under a short guard with
        // traffic in every window: 20 guards, every one must pass.
        const int Agents = 5, Rounds = 4;
        using var client = fx.App.CreateClient();
        var agents = new List<(Guid Id, Guid A, Guid B)>();
        var fleet = new List<LoopbackAgent>();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                var name = $"steady-{i}-{Guid.NewGuid().ToString("N")[..6]}";
                var a = LoopbackAgent.Start();
                var b = LoopbackAgent.Start();
                fleet.AddRange([a, b]);
                var (agentId, da) = await GuardApi.RegisterAsync(client, name, a.Url, $"registry.example/{name}:1");
                var (_, db) = await GuardApi.RegisterAsync(client, name, b.Url, $"registry.example/{name}:2");
                agents.Add((agentId, da, db));
            }

            foreach (var (id, a, b) in agents)
            {
                await GuardApi.HealthyAsync(client, id, a, ReadyTimeout);
                await GuardApi.HealthyAsync(client, id, b, ReadyTimeout);
            }

            var guards = new List<Guid>();
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (id, a, b) in agents)
                {
                    await GuardApi.PromoteAsync(client, id, round % 2 == 0 ? b : a,
                        new { window = "00:00:10", maxErrorRate = 0.05, minRequests = 5, requireHealthy = true });
                    guards.Add((await GuardApi.GuardAsync(client, id))!.Value.GetProperty("id").GetGuid());
                }

                // Traffic through every guard's window, then each guard's verdict.
                for (var call = 0; call < 10; call++)
                    foreach (var (id, _, _) in agents) Assert.Equal(HttpStatusCode.OK, await GuardApi.RpcAsync(client, id));
                foreach (var (id, _, _) in agents)
                {
                    var ended = await GuardApi.UntilAsync(() => GuardApi.GuardAsync(client, id), g => g!.Value.GetProperty("status").GetString() != "Watching",
                        TimeSpan.FromSeconds(40), "the guard's window to end");
                    Assert.Equal("Passed", ended!.Value.GetProperty("status").GetString());
                    Assert.True(ended.Value.GetProperty("evidence").GetProperty("requests").GetInt64() >= 10);
                    Assert.Equal(0, ended.Value.GetProperty("evidence").GetProperty("errors").GetInt64());
                }
            }

            Assert.Equal(Agents * Rounds, guards.Distinct().Count());
            foreach (var (id, a, _) in agents)
            {
                Assert.Equal(a, await GuardApi.ProductionAsync(client, id));
                var events = await client.GetFromJsonAsync<JsonElement>($"api/agents/{id}/events?limit=1000");
                Assert.DoesNotContain(events.EnumerateArray(), e => e.GetProperty("kind").GetString() is "AutoReverted" or "GuardBreached");
                Assert.Equal(Rounds, events.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "GuardPassed"));
            }
        }
        finally
        {
            foreach (var agent in fleet) await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task CutoverKilledDuringAGuard_TheRestartedOneKeepsWatching_AndReverts()
    {
        await using var good = LoopbackAgent.Start();
        await using var next = LoopbackAgent.Start();
        var directory = Path.Combine(Path.GetTempPath(), "cutover-e2e", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string> { ["Cutover:Health:ProbeInterval"] = "00:00:02" };
        try
        {
            Guid agentId, v1, v2;
            await using (var first = await AppProcess.StartAsync(settings, directory: directory))
            {
                using var client = first.CreateClient();
                (agentId, v1) = await GuardApi.RegisterAsync(client, "restarted-" + Guid.NewGuid().ToString("N")[..6], good.Url, "registry.example/r:1");
                var name = (await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}")).GetProperty("name").GetString()!;
                (_, v2) = await GuardApi.RegisterAsync(client, name, next.Url, "registry.example/r:2");
                await GuardApi.HealthyAsync(client, agentId, v1, ReadyTimeout);
                await GuardApi.HealthyAsync(client, agentId, v2, ReadyTimeout);
                await GuardApi.PromoteAsync(client, agentId, v2, new { window = "00:05:00", maxErrorRate = 0.2, minRequests = 10 });
                for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, await GuardApi.RpcAsync(client, agentId));
                await GuardApi.UntilAsync(() => GuardApi.GuardAsync(client, agentId),
                    g => g!.Value.GetProperty("evidence").GetProperty("requests").GetInt64() == 5, TimeSpan.FromSeconds(20), "the calls to be counted");

                // A crash: SIGKILL, no shutdown code runs.
                await first.KillAsync();
            }

            await using var second = await AppProcess.StartAsync(settings, directory: directory);
            using var after = second.CreateClient();
            var guard = (await GuardApi.GuardAsync(after, agentId))!.Value;
            Assert.Equal("Watching", guard.GetProperty("status").GetString());
            Assert.Equal(5, guard.GetProperty("evidence").GetProperty("requests").GetInt64());

            next.Failing = true;
            for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.InternalServerError, await GuardApi.RpcAsync(after, agentId));
            var ended = await GuardApi.UntilAsync(() => GuardApi.GuardAsync(after, agentId),
                g => g!.Value.GetProperty("status").GetString() != "Watching", TimeSpan.FromSeconds(20), "the restarted Cutover to judge");
            Assert.Equal("Reverted", ended!.Value.GetProperty("status").GetString());
            // The evidence spans both processes: 5 good calls before the crash, 10 failing ones after.
            Assert.Equal(15, ended.Value.GetProperty("evidence").GetProperty("requests").GetInt64());
            Assert.Equal(10, ended.Value.GetProperty("evidence").GetProperty("errors").GetInt64());
            Assert.Equal(v1, await GuardApi.ProductionAsync(after, agentId));
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<Guid> DeployReadyAsync(HttpClient client, Guid agentId, string image)
    {
        using var created = await client.PostAsJsonAsync($"api/agents/{agentId}/deployments", new { dockerImage = image });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var ready = await GuardApi.UntilAsync(() => GuardApi.DeploymentAsync(client, agentId, id),
            d => d.GetProperty("status").GetString() is "Ready" or "Failed", ReadyTimeout, $"{image} to start");
        Assert.Equal("Ready", ready.GetProperty("status").GetString());
        return id;
    }
}
