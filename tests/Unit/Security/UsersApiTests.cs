using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

public sealed class UsersApiTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Theory]
    [InlineData("short", "at least 12 characters")]
    [InlineData("aaaaaaaaaaaaaaaa", "only 1 different characters")]
    [InlineData("abcabcabcabc", "uses only 3 different")]
    [InlineData("xy12zxy12zxy12z", "repeats the same 5-character part")]
    [InlineData("abcdefghijklmno", "run of consecutive characters")]
    [InlineData("qwertyuiopasdf", "neighbouring keys")]
    [InlineData("P@ssw0rd2024!!", "common password")]
    [InlineData("Welcome123456", "common password")]
    [InlineData("weak-user-is-here", "must not contain the user name")]
    public async Task CreateUser_WeakPassword_Returns400WithReason(string password, string reason)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/users", new { userName = "weak-user", password, role = "Viewer" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("password", json.GetProperty("field").GetString());
        Assert.Contains(reason, json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"userName":"num-pass","password":123456789012345,"role":"Viewer"}""", "password")]
    [InlineData("""{"userName":42,"password":"a-Long-unusual-passphrase-9","role":"Viewer"}""", "userName")]
    [InlineData("""{"userName":"x","password":"a-Long-unusual-passphrase-9","role":true}""", "role")]
    [InlineData("""{"userName":"x","password":""", "body")] // broken JSON is the body's fault (the detail says where)
    [InlineData("""{"userName":"zero\n","password":"a-Long-unusual-passphrase-9","role":"Viewer"}""", "userName")]
    public async Task CreateUser_MalformedOrWrongTypes_Returns400NamingField(string body, string field)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsync("/api/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task CreateUser_Valid_Returns201AndListsWithoutPasswordMaterial()
    {
        using var admin = app.CreateAdminClient();
        var created = await SecurityApi.CreateUserAsync(admin, "list-me", "Operator");
        Assert.Equal("list-me", created.GetProperty("userName").GetString());
        Assert.Equal("Operator", created.GetProperty("role").GetString());

        var text = await admin.GetStringAsync("/api/users");
        Assert.Contains("list-me", text);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        var audit = await EventsAsync(EventKind.UserCreated);
        Assert.Contains(audit, e => e.To == "list-me" && e.Actor == "token:bootstrap");
    }

    [Fact]
    public async Task CreateUser_DuplicateName_Returns409()
    {
        using var admin = app.CreateAdminClient();
        await SecurityApi.CreateUserAsync(admin, "twice", "Viewer");
        var again = await admin.PostAsJsonAsync("/api/users", new { userName = "TWICE", password = SecurityApi.GoodPassword, role = "Viewer" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Theory]
    [InlineData("", "Viewer", "userName")]
    [InlineData("has space", "Viewer", "userName")]
    [InlineData("fine-name", "Root", "role")]
    [InlineData("fine-name", "2", "role")]
    public async Task CreateUser_InvalidField_Returns400NamingIt(string userName, string role, string field)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, password = SecurityApi.GoodPassword, role });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task DeleteUser_LastAdmin_Returns409_OtherAdmin_Returns204()
    {
        using var admin = app.CreateAdminClient();
        var first = await SecurityApi.CreateUserAsync(admin, "admin-one", "Admin");
        var second = await SecurityApi.CreateUserAsync(admin, "admin-two", "Admin");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{second.GetProperty("id").GetGuid()}")).StatusCode);
        var last = await admin.DeleteAsync($"/api/users/{first.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Contains("last admin", await SecurityApi.DetailAsync(last));
        Assert.Contains(await EventsAsync(EventKind.UserDeleted), e => e.To == "admin-two" && e.Actor == "token:bootstrap");
    }

    [Fact]
    public async Task DeleteUser_Unknown_Returns404()
    {
        using var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/users/{Guid.NewGuid()}")).StatusCode);
    }

    private async Task<List<TimelineEvent>> EventsAsync(EventKind kind)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        return await db.Events.Where(e => e.Kind == kind).ToListAsync();
    }
}
