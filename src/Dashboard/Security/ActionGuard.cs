using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Re-checks authorization on the server at the moment a Blazor action runs. Hiding a button is not security: a
/// circuit can invoke any handler, so every handler that changes something starts with
/// <c>if (!await Guard.CanAsync(Policies.Operator)) return;</c> (or uses <see cref="AuthorizeAsync"/> to get the
/// actor too). The state comes from the circuit's authentication state, which is revalidated periodically, so a
/// deleted user or revoked token loses its actions without a reload.
/// </summary>
public sealed class ActionGuard(AuthenticationStateProvider authState, IAuthorizationService authorization)
{
    public async Task<bool> CanAsync(string policy) => (await AuthorizeAsync(policy)) is not null;

    /// <summary>The current user when <paramref name="policy"/> allows them; null otherwise.</summary>
    public async Task<ClaimsPrincipal?> AuthorizeAsync(string policy)
    {
        var state = await authState.GetAuthenticationStateAsync();
        var result = await authorization.AuthorizeAsync(state.User, policy);
        return result.Succeeded ? state.User : null;
    }

    /// <summary>Who acts, for audit and timeline events (<c>user:alice</c>).</summary>
    public async Task<string> ActorAsync() => (await authState.GetAuthenticationStateAsync()).User.Actor();
}
