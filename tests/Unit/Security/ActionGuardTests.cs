using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>The guard Blazor handlers call, with the app's real policies and a circuit's authentication state.</summary>
public sealed class ActionGuardTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Theory]
    [InlineData(Role.Viewer, Policies.Viewer, true)]
    [InlineData(Role.Viewer, Policies.Operator, false)]
    [InlineData(Role.Operator, Policies.Operator, true)]
    [InlineData(Role.Operator, Policies.Admin, false)]
    [InlineData(Role.Admin, Policies.Operator, true)]
    public async Task CanAsync_FollowsRole(Role role, string policy, bool expected)
    {
        using var scope = StartedScope();
        SetUser(scope, new ClaimsPrincipal(new ClaimsIdentity(
            new[] { new Claim(ClaimTypes.Name, "p") }.Concat(CutoverClaims.RoleClaims(role)), "Cookies")));
        var guard = scope.ServiceProvider.GetRequiredService<ActionGuard>();
        Assert.Equal(expected, await guard.CanAsync(policy));
        Assert.Equal(expected, await guard.AuthorizeAsync(policy) is not null);
    }

    [Fact]
    public async Task CanAsync_Anonymous_False()
    {
        using var scope = StartedScope();
        SetUser(scope, new ClaimsPrincipal(new ClaimsIdentity()));
        Assert.False(await scope.ServiceProvider.GetRequiredService<ActionGuard>().CanAsync(Policies.Viewer));
    }

    private IServiceScope StartedScope()
    {
        using var client = app.CreateClient(bearerToken: null);
        return app.Services.CreateScope();
    }

    private static void SetUser(IServiceScope scope, ClaimsPrincipal user) =>
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
}
