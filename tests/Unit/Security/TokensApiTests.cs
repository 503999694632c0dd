using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

public sealed class TokensApiTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task CreateToken_Personal_Returns201WithTextOnce()
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/tokens", new { name = "ci", kind = "personal", role = "Operator" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = json.GetProperty("token").GetString()!;
        Assert.StartsWith("cut_pat_", text, StringComparison.Ordinal);
        Assert.True(text.Length >= 8 + 43, "256 random bits in base64url are 43 characters");
        Assert.Equal("personal", json.GetProperty("kind").GetString());
        Assert.Equal("Operator", json.GetProperty("role").GetString());
        Assert.Equal(text[..12], json.GetProperty("prefix").GetString());

        var list = await admin.GetStringAsync("/api/tokens");
        Assert.Contains(json.GetProperty("id").GetGuid().ToString(), list);
        Assert.DoesNotContain(text, list);
        Assert.DoesNotContain("hash", list, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await EventsAsync(EventKind.TokenCreated), e => e.Actor == "token:bootstrap" && e.To!.StartsWith("ci (cut_pat_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateToken_Agent_BoundToName()
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/tokens", new { name = "bot", kind = "agent", agentName = "search-bot" });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("cut_agt_", json.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal("search-bot", json.GetProperty("agentName").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("role").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":"x","kind":"robot","role":"Viewer"}""", "kind")]
    [InlineData("""{"name":"","kind":"personal","role":"Viewer"}""", "name")]
    [InlineData("""{"name":"x","kind":"personal"}""", "role")]
    [InlineData("""{"name":"x","kind":"personal","role":"Owner"}""", "role")]
    [InlineData("""{"name":"x","kind":"agent"}""", "agentName")]
    [InlineData("""{"name":"x","kind":"agent","agentName":"bot","role":"Admin"}""", "role")]
    [InlineData("""{"name":"x","kind":"personal","role":"Viewer","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name":"x","kind":"personal","role":"Viewer","expiresAt":"next tuesday"}""", "expiresAt")]
    [InlineData("""{"name":"x","kind":"personal","role":"Viewer","expiresAt":42}""", "expiresAt")]
    [InlineData("""{"name":7,"kind":"personal","role":"Viewer"}""", "name")]
    [InlineData("""{"name":"x","kind":["personal"],"role":"Viewer"}""", "kind")]
    [InlineData("""{"name":"x","kind":"personal","role":""", "body")] // broken JSON is the body's fault (the detail says where)
    [InlineData("""{"name":"line\nbreak","kind":"personal","role":"Viewer"}""", "name")]
    [InlineData("""{"name":"ci\n","kind":"personal","role":"Viewer"}""", "name")]
    [InlineData("""{"name":"x","kind":"agent","agentName":"bot\n"}""", "agentName")]
    public async Task CreateToken_Invalid_Returns400NamingField(string body, string field)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsync("/api/tokens", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task CreateToken_ExpiryInFuture_ListedWithExpiry()
    {
        using var admin = app.CreateAdminClient();
        var expires = app.Clock.GetUtcNow().AddDays(30);
        var (id, _) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer", expires);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        var row = list.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(expires.UtcDateTime, row.GetProperty("expiresAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RevokeToken_Audited_AndUnknownIs404()
    {
        using var admin = app.CreateAdminClient();
        var (id, _) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/tokens/{Guid.NewGuid()}")).StatusCode);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        Assert.NotEqual(JsonValueKind.Null, list.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id).GetProperty("revokedAt").ValueKind);
        Assert.Single(await EventsAsync(EventKind.TokenRevoked), e => e.Actor == "token:bootstrap");
    }

    [Fact]
    public async Task UsedToken_LastUsedIsRecorded()
    {
        using var admin = app.CreateAdminClient();
        var (id, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        using (var client = app.CreateClient(text)) await client.GetAsync("/system");
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        Assert.NotEqual(JsonValueKind.Null, list.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id).GetProperty("lastUsedAt").ValueKind);
    }

    private async Task<List<TimelineEvent>> EventsAsync(EventKind kind)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        return await db.Events.Where(e => e.Kind == kind).ToListAsync();
    }
}
