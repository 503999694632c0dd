using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Provisioning;

/// <summary>The app with the local runtime on, so a run from the page wakes real sample-agent processes.</summary>
public sealed class ProvisioningFixture : BrowserFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cutover:Runtime:Local:Enabled"] = "true",
        ["Cutover:Runtime:ReadyTimeout"] = "00:01:00",
    };
}

/// <summary>The Provisioning page in a real browser: problems named, dry-run plan, apply with live steps, teardown.</summary>
public sealed class ProvisioningPageTests(ProvisioningFixture fx) : IClassFixture<ProvisioningFixture>
{
    private const string Spec = """
        name: page-fleet
        maxConcurrent: 2
        agents:
          - name: page-a
            image: cutover/sample-agent:1.0
          - name: page-b
            image: cutover/sample-agent:2.0
          - name: page-c
            image: cutover/sample-agent:1.0
        """;

    [Fact]
    public async Task ProvisioningPage_DryRunApplyWatchTearDown()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync("provisioning");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Provisioning" })).ToBeVisibleAsync();
        var spec = page.GetByLabel("Spec (YAML or JSON)");

        // A bad spec: every problem named, nothing created.
        await spec.FillAsync(Spec.Replace("page-c", "page-a"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("appears more than once");
        await Expect(alert).ToContainTextAsync("agents[2].name");

        // Upload a spec file: it replaces the text. Then the dry run's plan: what would be created and woken.
        await page.GetByLabel("Upload a spec file").SetInputFilesAsync(new FilePayload
        {
            Name = "fleet.yaml", MimeType = "application/yaml", Buffer = System.Text.Encoding.UTF8.GetBytes(Spec),
        });
        await Expect(spec).ToHaveValueAsync(Spec);
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();
        var plan = page.GetByLabel("Dry-run plan");
        await Expect(plan).ToContainTextAsync("Would create and wake 3 agents, at most 2 at a time");
        await Expect(plan).ToContainTextAsync("Nothing was written");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Open run page-fleet" })).ToHaveCountAsync(0);

        // Apply, and watch each agent's step change live.
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var run = page.GetByLabel("Run", new() { Exact = true });
        await Expect(run.GetByText("3 of 3 agents settled")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
            await Expect(page.GetByLabel($"{name} Woken")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Run status Succeeded")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "provisioning-succeeded");

        // Tear down, confirmed by a dialog that says how many agents go.
        await page.GetByRole(AriaRole.Button, new() { Name = "Tear down" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("3 agents will be stopped and deleted");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Tear down 3 agents" }).ClickAsync();
        await Expect(page.GetByLabel("Run status TornDown")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
            await Expect(page.GetByLabel($"{name} TornDown")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Open run page-fleet" })).ToBeVisibleAsync();

        using var http = fx.App.CreateClient();
        var agents = await http.GetStringAsync("/api/agents?q=page-");
        Assert.Contains("\"total\":0", agents);
    }
}
