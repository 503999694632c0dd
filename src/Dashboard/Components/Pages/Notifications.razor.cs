using Cutover.Dashboard.Notifications;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Admin: add webhooks, send a test, remove one (confirmed), and watch each one's recent deliveries change as the
/// worker tries them (re-read when this node's subscriptions or deliveries change, at most every quarter second).
/// </summary>
public sealed partial class Notifications : IDisposable
{
    public const int DeliveriesShown = 10;
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<NotificationDto>? _subscriptions;
    private Dictionary<Guid, IReadOnlyList<DeliveryDto>> _deliveries = [];
    private string? _error;
    private bool _showForm;
    private int _reloadQueued;
    private MudMessageBox _confirm = default!;
    private string? _confirmText;

    [Inject]
    private INotificationsClient Client { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Client.Changed += OnChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            var list = await Client.ListAsync(_disposed.Token);
            var deliveries = new Dictionary<Guid, IReadOnlyList<DeliveryDto>>();
            foreach (var s in list) deliveries[s.Id] = await Client.DeliveriesAsync(s.Id, DeliveriesShown, _disposed.Token);
            _subscriptions = list;
            _deliveries = deliveries;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    /// <summary>A burst of changes (a worker round, a create) becomes one re-read.</summary>
    private void OnChanged()
    {
        if (Interlocked.Exchange(ref _reloadQueued, 1) == 1) return;
        _ = InvokeAsync(async () =>
        {
            try
            {
                await Task.Delay(Batch, Time, _disposed.Token);
                Interlocked.Exchange(ref _reloadQueued, 0);
                await LoadAsync();
                StateHasChanged();
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private async Task OnCreatedAsync(NotificationDto created)
    {
        _showForm = false;
        Snackbar.Add($"Notification added: {created.Name}", Severity.Success);
        await LoadAsync();
    }

    private async Task TestAsync(NotificationDto subscription)
    {
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            Snackbar.Add("Not allowed: only administrators can send tests.", Severity.Error);
            return;
        }

        var outcome = await Client.SendTestAsync(subscription.Id, user.Actor(), CancellationToken.None);
        if (outcome.IsSuccess) Snackbar.Add($"Test queued for {subscription.Name}; its delivery shows below.", Severity.Info);
        else Snackbar.Add($"Could not send a test: {outcome.Failure!.Detail}", Severity.Error);
        await LoadAsync();
    }

    private async Task RemoveAsync(NotificationDto subscription)
    {
        _confirmText = $"Remove “{subscription.Name}”? Nothing more is sent to it, and its undelivered events are dropped.";
        var confirmed = await _confirm.ShowAsync();
        if (confirmed != true) return;

        // Checked after the dialog: the role could have changed while it was open.
        if (await Guard.AuthorizeAsync(Policies.Admin) is null)
        {
            Snackbar.Add("Not allowed: only administrators can remove notifications.", Severity.Error);
            return;
        }

        var outcome = await Client.DeleteAsync(subscription.Id, CancellationToken.None);
        if (outcome.IsSuccess) Snackbar.Add($"Notification removed: {subscription.Name}", Severity.Success);
        else Snackbar.Add($"Could not remove: {outcome.Failure!.Detail}", Severity.Error);
        await LoadAsync();
    }

    public void Dispose()
    {
        Client.Changed -= OnChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
