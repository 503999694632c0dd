using Cutover.Core.Domain;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Access;

public sealed partial class CreateUserForm
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    private readonly UserInput _input = new();
    private string? _error;
    private bool _busy;

    [Inject]
    private IAccessClient Access { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Parameter]
    public EventCallback<UserSummary> OnCreated { get; set; }

    [Parameter]
    public EventCallback OnCancel { get; set; }

    private async Task SubmitAsync()
    {
        _error = null;
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            _error = "Only administrators can add users.";
            return;
        }

        _busy = true;
        try
        {
            var outcome = await Access.CreateUserAsync(_input.UserName, _input.Password, _input.Role, user.Actor(), CancellationToken.None);
            if (!outcome.IsSuccess)
            {
                _error = outcome.Failure!.Detail;
                return;
            }

            _input.UserName = null;
            _input.Password = null;
            await OnCreated.InvokeAsync(outcome.Value);
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed class UserInput
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public Role Role { get; set; } = Role.Operator;
    }
}
