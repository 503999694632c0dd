using Cutover.Core.Domain;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Access;

public sealed partial class CreateTokenForm
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    private readonly TokenInput _input = new();
    private string? _error;
    private bool _busy;

    [Inject]
    private IAccessClient Access { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    /// <summary>Raised with the new token (its text included) once it is stored.</summary>
    [Parameter]
    public EventCallback<CreatedToken> OnCreated { get; set; }

    [Parameter]
    public EventCallback OnCancel { get; set; }

    private async Task SubmitAsync()
    {
        _error = null;
        // The page is admin-only, but the circuit can call this handler directly: check again, here.
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            _error = "Only administrators can create tokens.";
            return;
        }

        _busy = true;
        try
        {
            var expires = _input.ExpiresAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            var request = new NewToken(_input.Name, _input.Kind, _input.Kind == TokenKind.Personal ? _input.Role : null,
                _input.Kind == TokenKind.Agent ? _input.AgentName : null, expires);
            var outcome = await Access.CreateTokenAsync(request, user.Actor(), CancellationToken.None);
            if (!outcome.IsSuccess)
            {
                _error = outcome.Failure!.Detail;
                return;
            }

            _input.Name = null;
            _input.AgentName = null;
            _input.ExpiresAt = null;
            await OnCreated.InvokeAsync(outcome.Value);
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed class TokenInput
    {
        public string? Name { get; set; }

        public TokenKind Kind { get; set; } = TokenKind.Personal;

        public Role Role { get; set; } = Role.Viewer;

        public string? AgentName { get; set; }

        public DateTime? ExpiresAt { get; set; }
    }
}
