using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.E2E.Journeys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Pages;

/// <summary>
/// Try it in the real browser against a real sample agent started by the local runtime: a request of 64 KB goes
/// over the circuit and reaches the agent exactly as shown (the circuit used to drop and the old example was sent);
/// a response never outlives its target or a refused request.
/// </summary>
public sealed class TryItTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TryIt_LargeRequest_SentAsShownAndTheAnswerClearsOnTargetSwitchAndError()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "tryit-" + Guid.NewGuid().ToString("N")[..6], 1);
        var preview = await DeployReadyAsync(agent.Id, "cutover/sample-agent:1.0");
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();

        await PickTargetAsync(page, preview.ToString("N")[^8..]);
        var marker = "large-" + Guid.NewGuid().ToString("N");
        var request = LargeRequest(marker, 64 * 1024);
        Assert.InRange(request.Length, 64 * 1024 - 200, 64 * 1024);
        var box = page.GetByRole(AriaRole.Textbox, new() { Name = "Request" });
        await box.FillAsync(request);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        var response = page.GetByRole(AriaRole.Region, new() { Name = "Response" });
        await Expect(response.GetByTestId("try-it-status")).ToHaveTextAsync("200 from agent", new() { Timeout = 30_000 });
        await Expect(response.GetByTestId("try-it-body")).ToContainTextAsync("heard: " + marker);
        await Expect(response.GetByTestId("try-it-body")).Not.ToContainTextAsync("What can you do?");
        Assert.Equal(request, await box.InputValueAsync());

        // Another target: the answer came from the preview, so it goes.
        await PickTargetAsync(page, "Production");
        await Expect(response).ToHaveCountAsync(0);

        // Back, answered, then a request Cutover refuses: the old answer goes too, and the reason shows.
        await PickTargetAsync(page, preview.ToString("N")[^8..]);
        await box.FillAsync("""{"jsonrpc":"2.0","id":2,"method":"message/send","params":{"text":"short"}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(response.GetByTestId("try-it-body")).ToContainTextAsync("heard: short");
        await box.FillAsync("{ not json");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not valid JSON" })).ToBeVisibleAsync();
        await Expect(response).ToHaveCountAsync(0);
    }

    /// <summary>A message/send whose text pads the request to <paramref name="length"/> characters (ASCII: as many bytes).</summary>
    private static string LargeRequest(string marker, int length)
    {
        string Make(int pad) => JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 1, method = "message/send",
            @params = new { message = new { role = "user", messageId = "large-1", parts = new[] { new { kind = "text", text = marker + " " + new string('x', pad) } } } },
        });
        var overhead = Make(0).Length;
        return Make(length - overhead - 100);
    }

    private static async Task PickTargetAsync(IPage page, string text)
    {
        await page.Locator(".tool-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
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
