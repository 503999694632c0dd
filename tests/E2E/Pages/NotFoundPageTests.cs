using System.Net;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Pages;

/// <summary>
/// Addresses that lead nowhere show the designed Not found page inside the layout (with the way back to Agents);
/// a browser's direct GET of an unknown address gets a 404, while the API keeps answering problem details.
/// </summary>
public sealed class NotFoundPageTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("agents/not-a-guid")]
    [InlineData("agents/")]
    [InlineData("no/such/page")]
    public async Task Open_UnknownAddress_NotFoundPageInLayoutWith404(string path)
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);

        var response = await page.GotoAsync(path);

        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })).ToBeAttachedAsync();
        var back = page.GetByRole(AriaRole.Link, new() { Name = "Back to agents" });
        await back.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agents", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Open_AgentThatDoesNotExist_SaysAgentNotFoundWithTheWayBack()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);

        await page.GotoAsync($"agents/{Guid.Empty}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agent not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to agents" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Loading the agent")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("api/agents/00000000-0000-0000-0000-000000000000")]
    [InlineData("api/no-such-route")]
    public async Task Get_UnknownApiAddress_StillProblemJson404EvenFromABrowser(string path)
    {
        using var client = fx.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
