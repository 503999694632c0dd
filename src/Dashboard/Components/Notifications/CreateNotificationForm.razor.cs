using Cutover.Core.Notifications;
using Cutover.Dashboard.Notifications;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Notifications;

public sealed partial class CreateNotificationForm
{
    private readonly Input _input = new();
    private string? _error;
    private bool _busy;

    [Inject]
    private INotificationsClient Notifications { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Parameter]
    public EventCallback<NotificationDto> OnCreated { get; set; }

    [Parameter]
    public EventCallback OnCancel { get; set; }

    private void Toggle(string name, bool on)
    {
        if (on) _input.Events.Add(name);
        else _input.Events.Remove(name);
    }

    private async Task SubmitAsync()
    {
        _error = null;
        // The page is admin-only, but the circuit can call this handler directly: check again, here.
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            _error = "Only administrators can add notifications.";
            return;
        }

        _busy = true;
        try
        {
            var request = new NewNotification(_input.Name, _input.Url?.Trim(), NotificationEvents.All.Where(_input.Events.Contains).ToList(), _input.Secret);
            var outcome = await Notifications.CreateAsync(request, user.Actor(), CancellationToken.None);
            if (!outcome.IsSuccess)
            {
                _error = outcome.Failure!.Detail;
                return;
            }

            _input.Name = null;
            _input.Url = null;
            _input.Secret = null;
            _input.Events.Clear();
            await OnCreated.InvokeAsync(outcome.Value);
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed class Input
    {
        public string? Name { get; set; }

        public string? Url { get; set; }

        public string? Secret { get; set; }

        public HashSet<string> Events { get; } = [];
    }
}
