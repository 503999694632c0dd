using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.E2E.Journeys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Runtime;

/// <summary>
/// Stop and Start in the real browser, on a preview the local runtime really runs (a sample agent process): the row
/// shows its traffic as a sparkline and when it would stop when idle; Stop (confirmed) ends the process and the row
/// turns Stopped live; its preview route answers 409; Start brings it back Ready live and it answers again. The
/// page is photographed with the stopped row in both themes, at desktop and phone widths.
/// </summary>
public sealed class StopStartBrowserTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StopThenStart_FromTheRow_ProcessEndsStatusFollowsLiveAndRoutingFollows()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "stopstart-" + Guid.NewGuid().ToString("N")[..6], 1);
        var preview = await DeployReadyAsync(agent.Id, "cutover/sample-agent:1.0");
        var shortId = preview.ToString("N")[^8..];
        using var client = fx.App.CreateClient();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await RpcAsync(client, agent.Id, preview)).StatusCode);
        var pid = ProcessOf(preview);
        Assert.True(AgentProcesses.IsRunning(pid));

        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        var row = page.Locator("tr.mud-table-row", new() { HasText = shortId });
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Status: Ready" })).ToBeVisibleAsync();
        await Expect(row.GetByTestId("sparkline")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("sparkline")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(": 5 in all, 0 errors"));
        await Expect(row.GetByTestId("idle-note")).ToHaveTextAsync("stops when idle in 30 min");
        await Expect(page.Locator("section.production-card").GetByTestId("sparkline")).ToBeVisibleAsync();
        await Expect(page.Locator("tr.row-production").GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Stop ") }))
            .ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = "Stop sample-agent:1.0" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }).FillAsync("browser test");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Status: Stopped" })).ToBeVisibleAsync();
        await Expect(row.GetByTestId("stopped-note")).ToContainTextAsync("stopped (by ");
        await Expect(page.Locator(".timeline-text", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^sample-agent:1\.0 \(\w+\) stopped$") }).First).ToBeVisibleAsync();
        await WaitUntilAsync(() => !AgentProcesses.IsRunning(pid), "the stopped preview's process to exit");
        using (var refused = await RpcAsync(client, agent.Id, preview))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("stopped", await refused.Content.ReadAsStringAsync());
        }

        foreach (var (width, height, theme) in new[] { (1440, 900, "light"), (1440, 900, "dark"), (390, 844, "light"), (390, 844, "dark") })
        {
            var shot = await fx.NewPageAsync(AppProcess.AdminToken, width, height);
            await shot.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "cutover.theme", Value = theme, Url = fx.App.BaseUrl.ToString() }]);
            await shot.GotoAsync($"agents/{agent.Id}");
            var shotRow = shot.Locator("tr.mud-table-row", new() { HasText = shortId });
            await Expect(shotRow.GetByRole(AriaRole.Img, new() { Name = "Status: Stopped" })).ToBeVisibleAsync();
            var overflow = await shot.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 1, $"The page is {overflow}px wider than the window at {width}px.");
            await BrowserFixture.ScreenshotAsync(shot, $"agent-stopped-preview-{width}-{theme}");
            await shot.Context.CloseAsync();
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Start sample-agent:1.0" }).ClickAsync();

        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Status: Ready" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        using var answered = await RpcAsync(client, agent.Id, preview);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.NotEqual(pid, ProcessOf(preview));
        using var events = await client.GetAsync($"api/agents/{agent.Id}/events");
        var kinds = (await events.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Where(e => e.GetProperty("deploymentId").ValueKind == JsonValueKind.String && e.GetProperty("deploymentId").GetGuid() == preview)
            .Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.DoesNotContain("Failed", kinds);
        Assert.Contains("Stopped", kinds);
        Assert.Contains("Started", kinds);
    }

    private static Task<HttpResponseMessage> RpcAsync(HttpClient client, Guid agentId, Guid deploymentId) =>
        client.PostAsync($"api/agents/{agentId}/deployments/{deploymentId}/rpc",
            new StringContent("""{"jsonrpc":"2.0","id":1,"method":"agent/info"}""", Encoding.UTF8, "application/json"));

    /// <summary>The newest process the dashboard's console says it started for the deployment.</summary>
    private int ProcessOf(Guid deploymentId) =>
        AgentProcesses.StartedIn(fx.App.Output.Where(l => l.Contains(deploymentId.ToString(), StringComparison.Ordinal))).Last();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(ReadyTimeout);
        try
        {
            while (!condition()) await Task.Delay(50, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    private async Task<Guid> DeployReadyAsync(Guid agentId, string image)
    {
        using var client = fx.App.CreateClient();
        var created = await client.PostAsJsonAsync($"api/agents/{agentId}/deployments", new { dockerImage = image });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var deadline = new CancellationTokenSource(ReadyTimeout);
        while (true)
        {
            var d = await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{id}", deadline.Token);
            var status = d.GetProperty("status").GetString();
            if (status == "Ready") return id;
            Assert.NotEqual("Failed", status);
            await Task.Delay(100, deadline.Token);
        }
    }
}
