using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Journeys;

/// <summary>
/// What an operator does every day, in a real Chromium against the real app: open an agent, promote (and cancel),
/// roll back, delete; and what a viewer may not do. Each test seeds its own agent over HTTP.
/// </summary>
public sealed class AgentJourneyTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OpenAgent_FromOverview_ShowsProductionDeploymentsAndTimeline()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "orders-assistant", 3);
        var page = await fx.NewPageAsync(AppProcess.AdminToken);

        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agents" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = agent.Name, Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = agent.Name, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(agent.Deployments[0].Image);
        await Expect(page.GetByLabel("Production commit")).ToHaveTextAsync(agent.Deployments[0].ShortCommit);
        var deployments = page.GetByRole(AriaRole.Region, new() { Name = "Deployments" });
        foreach (var d in agent.Deployments) await Expect(deployments.GetByText(d.ShortImage, new() { Exact = true })).ToBeVisibleAsync();
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "Deployment timeline" });
        await Expect(timeline.GetByText("promoted to production")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Promote_CancelThenConfirm_CancelChangesNothingAndConfirmMovesProduction()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "billing-agent", 2);
        var (current, target) = (agent.Deployments[0], agent.Deployments[1]);
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = target.ShortImage });

        await row.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Table, new() { Name = "What changes" })).ToContainTextAsync(current.Image);
        await Expect(dialog.GetByRole(AriaRole.Table, new() { Name = "What changes" })).ToContainTextAsync(target.Image);
        await BrowserFixture.ScreenshotAsync(page, "promote-dialog-1280-light");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(current.Image);
        Assert.Equal(current.Id, await JourneyApi.ProductionDeploymentIdAsync(fx.App, agent.Id));

        await row.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await dialog.GetByLabel("Reason").FillAsync("Faster search is verified in staging");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Promote", Exact = true }).ClickAsync();

        // The toast names what actually happened: from what, to what.
        await Expect(page.GetByText($"{target.Label} is now in production (it was {current.Label}).")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(target.Image);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Deployment timeline" }).GetByText("“Faster search is verified in staging”")).ToBeVisibleAsync();
        Assert.Equal(target.Id, await JourneyApi.ProductionDeploymentIdAsync(fx.App, agent.Id));
    }

    [Fact]
    public async Task RollBack_Confirmed_ReturnsProductionToThePreviousDeployment()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "search-agent", 2);
        var (previous, current) = (agent.Deployments[0], agent.Deployments[1]);
        await JourneyApi.PromoteAsync(fx.App, agent.Id, current.Id, "ship it");
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(current.Image);
        await Expect(page.GetByText($"Roll back returns production to {previous.Label}.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Production returns to {previous.Label}");
        await dialog.GetByLabel("Reason").FillAsync("Error rate doubled");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true }).ClickAsync();

        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(previous.Image);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Deployment timeline" })
            .GetByText($"Rolled back to {previous.Label}")).ToBeVisibleAsync();
        Assert.Equal(previous.Id, await JourneyApi.ProductionDeploymentIdAsync(fx.App, agent.Id));
    }

    [Fact]
    public async Task Delete_NonProductionDeployment_HidesItAndProductionCannotBeDeleted()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "triage-agent", 2);
        var (production, doomed) = (agent.Deployments[0], agent.Deployments[1]);
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");

        var productionDelete = page.GetByRole(AriaRole.Button, new() { Name = $"Delete {production.Label}" });
        await Expect(productionDelete).ToBeDisabledAsync();
        await Expect(productionDelete).ToHaveAttributeAsync("title", "The production deployment cannot be deleted; promote another one first.");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {doomed.Label}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();

        var deployments = page.GetByRole(AriaRole.Region, new() { Name = "Deployments" });
        await Expect(deployments.GetByText(doomed.ShortImage, new() { Exact = true })).ToHaveCountAsync(0);
        await deployments.GetByText("Show deleted (1)").ClickAsync();
        await Expect(deployments.GetByText(doomed.ShortImage, new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Viewer_OpensAgent_SeesNoActionButtons()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "viewer-visible-agent", 2);
        var viewer = await JourneyApi.CreateViewerTokenAsync(fx.App);
        var page = await fx.NewPageAsync(viewer);
        await page.GotoAsync($"agents/{agent.Id}");

        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(agent.Deployments[0].Image);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Promote" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Roll back" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PromoteThroughApi_WhileAgentPageIsOpen_AppearsWithoutReload()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "live-agent", 2);
        var target = agent.Deployments[1];
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(agent.Deployments[0].Image);
        // A marker in the DOM that a reload would wipe: proves the change arrived over the open circuit.
        await page.EvaluateAsync("document.body.dataset.sameDocument = 'yes'");

        await JourneyApi.PromoteAsync(fx.App, agent.Id, target.Id, "promoted from CI");

        await Expect(page.GetByLabel("Production image")).ToHaveTextAsync(target.Image);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Deployment timeline" }).GetByText("“promoted from CI”")).ToBeVisibleAsync();
        Assert.Equal("yes", await page.EvaluateAsync<string>("document.body.dataset.sameDocument"));
    }
}
