using Bunit;
using Bunit.TestDoubles;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>The Users page over a faked access seam.</summary>
public sealed class UsersTests : BunitTestBase
{
    private readonly FakeAccess _access = new();

    public UsersTests()
    {
        Context.Services.AddSingleton<IAccessClient>(_access);
        Context.Services.AddScoped<ActionGuard>();
        Context.AddAuthorization().SetAuthorized("admin").SetPolicies(Policies.Admin);
        Interactive();
    }

    [Fact]
    public void Open_NoUsersYet_SaysSoInsteadOfAnEmptyTable()
    {
        var cut = Context.Render<Dashboard.Components.Pages.Users>();

        cut.WaitForAssertion(() => Assert.Contains("No users yet", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("tbody tr td[data-label='User name']"));
    }

    [Fact]
    public void Open_Users_ListsThemFromTheSeam()
    {
        _access.Users.Add(new UserSummary(Guid.NewGuid(), "grace", Role.Operator, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), null));

        var cut = Context.Render<Dashboard.Components.Pages.Users>();

        cut.WaitForAssertion(() => Assert.Equal("grace", cut.Find("td[data-label='User name'] .strong").TextContent), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("No users yet", cut.Markup, StringComparison.Ordinal);
    }

    private sealed class FakeAccess : IAccessClient
    {
        public List<UserSummary> Users { get; } = [];

        public Task<IReadOnlyList<TokenSummary>> GetTokensAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TokenSummary>>([]);

        public Task<Outcome<CreatedToken>> CreateTokenAsync(NewToken request, string actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Outcome<TokenSummary>> RevokeTokenAsync(Guid tokenId, string actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<UserSummary>> GetUsersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<UserSummary>>(Users.ToList());

        public Task<Outcome<UserSummary>> CreateUserAsync(string? userName, string? password, Role role, string actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Outcome<UserSummary>> DeleteUserAsync(Guid userId, string actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
