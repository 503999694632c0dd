using Cutover.Core.Guards;
using Cutover.Core.Queries;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// Shows <see cref="Info"/>'s latest guard. While it watches, its evidence is re-read through the seam every
/// <see cref="RefreshInterval"/>; a verdict arrives as the page's live change and a new <see cref="Info"/>.
/// </summary>
public sealed partial class GuardBanner : IDisposable
{
    /// <summary>How long a passed guard stays on the page.</summary>
    public static readonly TimeSpan PassedShownFor = TimeSpan.FromMinutes(10);

    private readonly CancellationTokenSource _stop = new();
    private GuardView? _view;
    private GuardInfo? _info;
    private Task? _refreshing;

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Parameter, EditorRequired]
    public Guid AgentId { get; set; }

    [Parameter, EditorRequired]
    public GuardInfo? Info { get; set; }

    /// <summary>The agent's production deployment now (a revert's banner stays while production is where the guard left it).</summary>
    [Parameter]
    public Guid? ProductionId { get; set; }

    [Parameter, EditorRequired]
    public IReadOnlyDictionary<Guid, DeploymentRow> Deployments { get; set; } = default!;

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    [Parameter]
    public bool CanOperate { get; set; }

    [Parameter]
    public bool Busy { get; set; }

    [Parameter]
    public EventCallback OnAbort { get; set; }

    [Parameter]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The guard worth showing now, or null.</summary>
    private GuardView? Shown => _view is not { Guard: var g } v ? null : g.Status switch
    {
        GuardStatus.Watching => v,
        GuardStatus.Reverted when ProductionId == g.RevertedToDeploymentId => v,
        GuardStatus.Breached when ProductionId == g.DeploymentId => v,
        GuardStatus.Passed when g.EndedAt is { } ended && Now - ended < PassedShownFor => v,
        _ => null,
    };

    private string Label(Guid? id) => id is { } d ? EventText.Label(Deployments.GetValueOrDefault(d), d) : "nothing";

    private string Title => _view!.Guard.Status switch
    {
        GuardStatus.Watching => $"Guard watching {Label(_view.Guard.DeploymentId)}",
        GuardStatus.Reverted => $"Auto-reverted to {Label(_view.Guard.RevertedToDeploymentId)}",
        GuardStatus.Breached => $"Guard tripped on {Label(_view.Guard.DeploymentId)}: nothing safe to revert to",
        GuardStatus.Passed => $"Guard passed: {Label(_view.Guard.DeploymentId)} stays in production",
        _ => "Guard stopped",
    };

    private string? Detail => _view!.Guard.Status switch
    {
        GuardStatus.Watching => _view.Guard.PreviousDeploymentId is { } p
            ? $"If it trips, production returns to {Label(p)}."
            : "If it trips there is no earlier healthy production to return to: it reports instead.",
        _ => _view.Guard.Reason,
    };

    private string Remaining
    {
        get
        {
            var left = _view!.Guard.EndsAt - Now;
            return left <= TimeSpan.Zero ? "0 s" : left.TotalMinutes >= 1 ? $"{(int)Math.Ceiling(left.TotalMinutes)} min" : $"{(int)Math.Ceiling(left.TotalSeconds)} s";
        }
    }

    private Severity Severity => _view!.Guard.Status switch
    {
        GuardStatus.Reverted => Severity.Error,
        GuardStatus.Breached => Severity.Warning,
        GuardStatus.Passed => Severity.Success,
        _ => Severity.Info,
    };

    private string Icon => _view!.Guard.Status switch
    {
        GuardStatus.Reverted => Icons.Material.Filled.SettingsBackupRestore,
        GuardStatus.Breached => Icons.Material.Filled.GppMaybe,
        GuardStatus.Passed => Icons.Material.Filled.VerifiedUser,
        _ => Icons.Material.Filled.Shield,
    };

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(Info, _info)) return;
        _info = Info;
        _view = Info?.Latest;
        if (_view?.Guard.IsWatching == true) _refreshing ??= RefreshAsync();
    }

    /// <summary>Re-reads the evidence while the guard watches; stops once it ended (a new guard starts it again).</summary>
    private async Task RefreshAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (_view?.Guard.IsWatching == true && await timer.WaitForNextTickAsync(_stop.Token))
            {
                var next = await Data.GetGuardAsync(AgentId, _stop.Token);
                // A verdict that lands between two reads also reaches the page as a live change; either shows it.
                await InvokeAsync(() =>
                {
                    if (next.Latest?.Guard.Id == _view?.Guard.Id) _view = next.Latest;
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _refreshing = null;
        }
    }

    public void Dispose() => _stop.Cancel();
}
