using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Sources;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Sources;

/// <summary>The sources API and every trigger over real HTTP, on the real app with its own database and real git repositories.</summary>
public sealed class SourcesApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>, IDisposable
{
    private const string Secret = "It's a Secret to Everybody";
    private const string Image = "registry.example/bots/support:1";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly List<TestRepo> _repos = [];

    public void Dispose()
    {
        foreach (var r in _repos) r.Dispose();
    }

    [Fact]
    public async Task Create_SecretsAreStoredEncryptedAndNeverReturned()
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/sources", new
        {
            name = Unique("secrets"), repoUrl = "https://git.example/team/agents.git", pollInterval = "00:00:00",
            webhookSecret = "webhook-secret-text", accessToken = "access-token-text",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(created);
        var id = doc.RootElement.GetProperty("id").GetGuid();
        Assert.Equal("main", doc.RootElement.GetProperty("branch").GetString());
        Assert.Equal("cutover.yaml", doc.RootElement.GetProperty("path").GetString());
        Assert.Equal("Unknown", doc.RootElement.GetProperty("status").GetString());
        Assert.True(doc.RootElement.GetProperty("hasWebhookSecret").GetBoolean());
        var listed = await admin.GetStringAsync("/api/sources");
        var shown = await admin.GetStringAsync($"/api/sources/{id}");
        foreach (var text in new[] { created, listed, shown })
        {
            Assert.DoesNotContain("webhook-secret-text", text);
            Assert.DoesNotContain("access-token-text", text);
        }

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        var row = await db.Set<Source>().AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.DoesNotContain("webhook-secret-text", row.ProtectedWebhookSecret);
        Assert.DoesNotContain("access-token-text", row.ProtectedAccessToken);
        Assert.Equal("webhook-secret-text", app.Services.GetRequiredService<ISourceSecrets>().Unprotect(row.ProtectedWebhookSecret!));
    }

    [Theory]
    [InlineData("{\"repoUrl\":\"/tmp/x\"}", "name")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"ssh://git@host/x.git\"}", "repoUrl")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"--upload-pack=touch /tmp/pwned\"}", "repoUrl")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"https://user:pw@host/x.git\"}", "repoUrl")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"/tmp/x\",\"branch\":\"-x\"}", "branch")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"/tmp/x\",\"path\":\"../etc/passwd\"}", "path")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"/tmp/x\",\"pollInterval\":\"00:00:01\"}", "pollInterval")]
    [InlineData("{\"name\":\"a\",\"repoUrl\":\"/tmp/x\",\"pollInterval\":\"soon\"}", "pollInterval")]
    public async Task Create_BadField_400NamingIt(string body, string field)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsync("/api/sources", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Create_DuplicateName_409()
    {
        using var admin = app.CreateAdminClient();
        var name = Unique("dup");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/sources", new { name, repoUrl = "/tmp/a", pollInterval = "00:00:00" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/sources", new { name, repoUrl = "/tmp/b", pollInterval = "00:00:00" })).StatusCode);
    }

    [Fact]
    public async Task Authorization_ViewerReadsOperatorSyncsAdminManages()
    {
        var (id, _) = await CreateSourceAsync(poll: false);
        using var anonymous = app.CreateClient(bearerToken: null);
        using var viewer = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Viewer));
        using var op = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Operator));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/sources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/sources/{id}/syncs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/sources/{id}/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/sources", new { name = Unique("x"), repoUrl = "/tmp/x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.DeleteAsync($"/api/sources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsync($"/api/sources/{id}/sync", null)).StatusCode);
        await UntilSyncAsync(id, "Manual");
    }

    /// <summary>Every trigger goes through the one entry point: the same bookkeeping, whatever asked.</summary>
    [Theory]
    [InlineData("poll", "Poll")]
    [InlineData("api", "Manual")]
    [InlineData("api-commit", "Manual")]
    [InlineData("ci", "Ci")]
    [InlineData("github", "Webhook")]
    [InlineData("generic", "Webhook")]
    [InlineData("generic-commit", "Webhook")]
    public async Task Trigger_AnyKind_SameBookkeeping(string how, string trigger)
    {
        var (id, repo) = await CreateSourceAsync(poll: how == "poll");
        var head = repo.Head();
        using var admin = app.CreateAdminClient();
        using var anonymous = app.CreateClient(bearerToken: null);
        var response = how switch
        {
            "poll" => null,
            "api" => await admin.PostAsync($"/api/sources/{id}/sync", null),
            "api-commit" => await admin.PostAsJsonAsync($"/api/sources/{id}/sync", new { commit = head }),
            "ci" => await CiClient(await CiTokenAsync(id)).PostAsJsonAsync($"/api/sources/{id}/sync", new { commit = head }),
            "github" => await anonymous.SendAsync(GitHubPush(id, "refs/heads/main", head)),
            "generic" => await anonymous.SendAsync(Generic(id, "")),
            _ => await anonymous.SendAsync(Generic(id, JsonSerializer.Serialize(new { commit = head }))),
        };
        if (response is not null) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var sync = await UntilSyncAsync(id, trigger);
        Assert.Equal("Succeeded", sync.GetProperty("status").GetString());
        Assert.Equal(head, sync.GetProperty("commit").GetString());
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("error").ValueKind);
        var agent = Assert.Single(sync.GetProperty("agents").EnumerateArray());
        Assert.Equal("Created", agent.GetProperty("action").GetString());
        if (response is not null)
            Assert.Equal(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("syncId").GetGuid(), sync.GetProperty("id").GetGuid());

        using var source = JsonDocument.Parse(await admin.GetStringAsync($"/api/sources/{id}"));
        Assert.Equal("Succeeded", source.RootElement.GetProperty("status").GetString());
        Assert.Equal(head, source.RootElement.GetProperty("lastCommit").GetString());
        Assert.Equal(JsonValueKind.Null, source.RootElement.GetProperty("lastError").ValueKind);
        Assert.Equal("Declare the bot", source.RootElement.GetProperty("lastCommitMessage").GetString());
        Assert.Single(source.RootElement.GetProperty("agents").EnumerateArray());
    }

    [Fact]
    public async Task CiToken_SyncsOnlyItsOwnSourceAndNothingElse()
    {
        var (id, _) = await CreateSourceAsync(poll: false);
        var (other, _) = await CreateSourceAsync(poll: false);
        var token = await CiTokenAsync(id);
        Assert.StartsWith("cut_ci_", token);
        using var ci = CiClient(token);

        Assert.Equal(HttpStatusCode.Forbidden, (await ci.PostAsync($"/api/sources/{other}/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ci.GetAsync($"/api/sources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ci.GetAsync("/api/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ci.PostAsync($"/api/sources/{id}/sync", null)).StatusCode);
        await UntilSyncAsync(id, "Ci");

        using var admin = app.CreateAdminClient();
        var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/tokens")).RootElement.EnumerateArray()
            .Single(t => t.GetProperty("kind").GetString() == "ci" && t.GetProperty("sourceId").GetGuid() == id);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("role").ValueKind);
        var unbound = await admin.PostAsJsonAsync("/api/tokens", new { name = "ci-none", kind = "ci" });
        Assert.Equal(HttpStatusCode.BadRequest, unbound.StatusCode);
        Assert.Contains("\"field\":\"sourceId\"", await unbound.Content.ReadAsStringAsync());
        var unknown = await admin.PostAsJsonAsync("/api/tokens", new { name = "ci-unknown", kind = "ci", sourceId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task GitHubWebhook_MissingOrWrongSignature_401AndNothingSyncs()
    {
        var (id, repo) = await CreateSourceAsync(poll: false);
        using var anonymous = app.CreateClient(bearerToken: null);

        var missing = GitHubPush(id, "refs/heads/main", repo.Head());
        missing.Headers.Remove("X-Hub-Signature-256");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(missing)).StatusCode);
        var wrong = GitHubPush(id, "refs/heads/main", repo.Head(), secret: "not the secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(GitHubPush(Guid.NewGuid(), "refs/heads/main", repo.Head()))).StatusCode);
        var wrongGeneric = Generic(id, "", secret: "not the secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrongGeneric)).StatusCode);

        using var admin = app.CreateAdminClient();
        Assert.Empty(JsonDocument.Parse(await admin.GetStringAsync($"/api/sources/{id}/syncs")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task GitHubWebhook_OtherEventsBranchesAndDeletions_204AndNothingSyncs()
    {
        var (id, repo) = await CreateSourceAsync(poll: false);
        using var anonymous = app.CreateClient(bearerToken: null);

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.SendAsync(GitHubPush(id, "refs/heads/main", repo.Head(), kind: "ping"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.SendAsync(GitHubPush(id, "refs/heads/feature", repo.Head()))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.SendAsync(GitHubPush(id, "refs/tags/v1", repo.Head()))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.SendAsync(GitHubPush(id, "refs/heads/main", new string('0', 40)))).StatusCode);

        using var admin = app.CreateAdminClient();
        Assert.Empty(JsonDocument.Parse(await admin.GetStringAsync($"/api/sources/{id}/syncs")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task SyncApi_BadCommitOrUnknownSource_400Or404()
    {
        var (id, _) = await CreateSourceAsync(poll: false);
        using var admin = app.CreateAdminClient();
        var bad = await admin.PostAsJsonAsync($"/api/sources/{id}/sync", new { commit = "HEAD~1; rm -rf /" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"field\":\"commit\"", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/sources/{Guid.NewGuid()}/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/sources/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Delete_SourceGoneAgentsStayNoLongerDeclared()
    {
        var (id, _) = await CreateSourceAsync(poll: false);
        using var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/sources/{id}/sync", null)).StatusCode);
        var sync = await UntilSyncAsync(id, "Manual");
        var agentName = sync.GetProperty("agents")[0].GetProperty("name").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/sources/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/sources/{id}")).StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Name == agentName);
        Assert.Equal(SyncStatus.OutOfSync, agent.Sync);
        Assert.Contains("no longer declared", agent.LastError);
    }

    private async Task<string> CiTokenAsync(Guid sourceId)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/tokens", new { name = Unique("ci"), kind = "ci", sourceId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private HttpClient CiClient(string token) => app.CreateClient(token);

    private async Task<(Guid Id, TestRepo Repo)> CreateSourceAsync(bool poll)
    {
        var repo = new TestRepo();
        _repos.Add(repo);
        var agentName = Unique("bot");
        repo.Commit("cutover.yaml", $"agents:\n  - name: {agentName}\n    image: {Image}\n", "Declare the bot");
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/sources", new
        {
            name = Unique("src"), repoUrl = repo.FileUrl, pollInterval = poll ? "00:00:05" : "00:00:00", webhookSecret = Secret,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), repo);
    }

    /// <summary>Re-reads the history until a finished sync of <paramref name="trigger"/> is in it, or the deadline passes.</summary>
    private async Task<JsonElement> UntilSyncAsync(Guid id, string trigger)
    {
        using var admin = app.CreateAdminClient();
        using var cts = new CancellationTokenSource(Wait);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            var history = JsonDocument.Parse(await admin.GetStringAsync($"/api/sources/{id}/syncs", cts.Token)).RootElement;
            foreach (var s in history.EnumerateArray())
            {
                if (s.GetProperty("trigger").GetString() == trigger && s.GetProperty("status").GetString() != "Syncing") return s.Clone();
            }

            try
            {
                await timer.WaitForNextTickAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No finished {trigger} sync of source {id} within {Wait}: {history}");
            }
        }
    }

    private static HttpRequestMessage GitHubPush(Guid id, string reference, string after, string secret = Secret, string kind = "push")
    {
        var body = JsonSerializer.Serialize(new { @ref = reference, after, repository = new { full_name = "team/agents" } });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/github/{id}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", kind);
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static HttpRequestMessage Generic(Guid id, string body, string secret = Secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/generic/{id}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Cutover-Signature", WebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
