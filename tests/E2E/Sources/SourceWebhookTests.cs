using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Sources;

/// <summary>
/// A push reaches the browser: commit a new image to a real git repository, call the GitHub webhook signed with the
/// source's secret, and watch the new deployment appear on the open agent page and the source turn Succeeded on the
/// Sources page, without a reload.
/// </summary>
public sealed class SourceWebhookTests(BrowserFixture fx) : IClassFixture<BrowserFixture>, IDisposable
{
    private const string Secret = "e2e webhook secret";
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "cutover-e2e-repo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_repo, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task GitHubPush_NewDeploymentAppearsLive()
    {
        Directory.CreateDirectory(_repo);
        Git("init", "--quiet", "-b", "main");
        Git("config", "user.name", "Ada Lovelace");
        Git("config", "user.email", "ada@example.com");
        Commit("registry.example/e2e/hooked:1", "Declare hooked 1");
        using var api = fx.App.CreateClient();
        var created = await api.PostAsJsonAsync("api/sources", new { name = "e2e-source", repoUrl = _repo, pollInterval = "00:00:00", webhookSecret = Secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sourceId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"api/sources/{sourceId}/sync", null)).StatusCode);
        var agentId = await AgentIdAsync(api, "e2e-hooked");

        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agentId}");
        var declared = page.GetByRole(AriaRole.Note, new() { Name = "Declared by source" });
        await Expect(declared).ToContainTextAsync("Declared by source e2e-source at commit");
        await Expect(declared).ToContainTextAsync("registry.example/e2e/hooked:1");
        // The deployments table shows an image by its short name and tag.
        await Expect(DeploymentRow(page, "hooked:1")).ToBeVisibleAsync();
        await Expect(DeploymentRow(page, "hooked:2")).ToHaveCountAsync(0);

        var sha = Commit("registry.example/e2e/hooked:2", "Bump hooked to 2");
        var body = JsonSerializer.Serialize(new { @ref = "refs/heads/main", after = sha });
        using var hook = new HttpRequestMessage(HttpMethod.Post, $"api/webhooks/github/{sourceId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        hook.Headers.Add("X-GitHub-Event", "push");
        hook.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
        using var anonymous = fx.App.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.SendAsync(hook)).StatusCode);

        var row2 = DeploymentRow(page, "hooked:2");
        await Expect(row2).ToBeVisibleAsync();
        await Expect(row2.GetByText(sha[..7])).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "source-webhook-agent");

        await page.GotoAsync($"sources/{sourceId}");
        await Expect(page.GetByLabel("Sync history").Last).ToContainTextAsync("Webhook");
        await Expect(page.GetByLabel("Sync history").Last).ToContainTextAsync("e2e-hooked: Deployed");
        await Expect(page.GetByLabel("Declared agents").Last).ToContainTextAsync("registry.example/e2e/hooked:2");
        await BrowserFixture.ScreenshotAsync(page, "source-detail");

        await page.GotoAsync("sources");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "e2e-source" });
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Sync: Succeeded" })).ToBeVisibleAsync();
        await Expect(row.GetByText(sha[..12])).ToBeVisibleAsync();
        await Expect(row.GetByText("Bump hooked to 2")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "sources");
    }

    private static ILocator DeploymentRow(IPage page, string image) =>
        page.GetByRole(AriaRole.Region, new() { Name = "Deployments" }).GetByRole(AriaRole.Row).Filter(new() { HasText = image });

    private static async Task<Guid> AgentIdAsync(HttpClient api, string name)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await api.GetAsync($"api/agents/by-name/{name}", deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK) return (await response.Content.ReadFromJsonAsync<JsonElement>(deadline.Token)).GetProperty("id").GetGuid();
            await Task.Delay(50, deadline.Token);
        }
    }

    private string Commit(string image, string message)
    {
        File.WriteAllText(Path.Combine(_repo, "cutover.yaml"), $"agents:\n  - name: e2e-hooked\n    image: {image}\n");
        Git("add", "cutover.yaml");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repo };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }
}
