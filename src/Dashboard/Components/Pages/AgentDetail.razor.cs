using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Shared;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// One agent: header with production and badges, deployments, and the timeline. It loads one snapshot from the seam
/// and then applies the seam's typed changes (header, deployment rows, new events) without re-reading; a gap or a
/// reconnection reloads the snapshot. The actions (promote, roll back, delete) live in AgentDetail.Actions.cs.
/// </summary>
public sealed partial class AgentDetail : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Guid? _loadedId;
    private AgentSummary? _agent;
    private Core.Sources.SourceDeclaration? _declaration;
    private List<DeploymentRow> _deployments = [];
    private Dictionary<Guid, DeploymentRow> _deploymentsById = [];
    private List<EventRow> _events = [];
    private bool _hasMoreEvents;
    private bool _loadingMore;
    private DeploymentRow? _rollbackTarget;
    private bool _notFound;
    private string? _error;
    private DateTime _now;
    private DateTime _lastUpdate;
    private DashboardSubscription? _live;
    private PageClock? _clock;
    private GuardInfo? _guard;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<AgentDetail> Logger { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id) return;
        // Navigating from one agent to another reuses this component: follow the new agent.
        _loadedId = Id;
        if (_live is not null) await _live.DisposeAsync();
        _agent = null;
        _live = Data.Subscribe(Id, InvokeAsync, OnLiveAsync);
        _clock ??= PageClock.Start(Time, InvokeAsync, OnTickAsync, logger: Logger);
        _canOperate = await CanOperateAsync();
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        await _refresh.WaitAsync(_disposed.Token);
        try
        {
            _error = null;
            var snapshot = await Data.GetAgentAsync(Id, _disposed.Token);
            _notFound = snapshot is null;
            if (snapshot is null) return;
            _agent = snapshot.Agent;
            _declaration = snapshot.Declaration;
            _rollbackTarget = snapshot.RollbackTarget;
            SetDeployments(snapshot.Deployments);
            _events = snapshot.Events.ToList();
            _hasMoreEvents = snapshot.HasMoreEvents;
            _guard = await Data.GetGuardAsync(Id, _disposed.Token);
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Loading agent {AgentId} failed", Id);
            _error = "The database did not answer: " + e.Message;
        }
        finally
        {
            _now = _lastUpdate = Time.GetUtcNow().UtcDateTime;
            _refresh.Release();
        }
    }

    private void SetDeployments(IEnumerable<DeploymentRow> rows)
    {
        _deployments = rows.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToList();
        _deploymentsById = _deployments.ToDictionary(d => d.Id);
    }

    private async Task LoadOlderEventsAsync()
    {
        if (_events.Count == 0 || _loadingMore || _events[^1].Sequence is not { } oldest) return;
        _loadingMore = true;
        try
        {
            var older = await Data.GetOlderEventsAsync(Id, oldest, _disposed.Token);
            _events.AddRange(older);
            _hasMoreEvents = older.Count == AgentQueries.DefaultTimelineTake;
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private async Task OnLiveAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (_disposed.IsCancellationRequested) return;
        if (changes.Any(c => c is SnapshotStale) || _agent is null)
        {
            await ReloadAsync();
            StateHasChanged();
            return;
        }

        var deployments = new Dictionary<Guid, DeploymentRow>(_deploymentsById);
        var newest = _events.Count > 0 ? _events[0].Sequence ?? 0 : 0;
        var added = new List<EventRow>();
        foreach (var change in changes)
        {
            switch (change)
            {
                case AgentUpserted upserted:
                    _agent = upserted.Agent;
                    _rollbackTarget = upserted.RollbackTarget;
                    break;
                case DeploymentUpserted { Deployment: var d }:
                    deployments[d.Id] = d;
                    break;
                case AgentSeen seen when _agent.LastSeenAt != seen.LastSeenAt:
                    _agent = _agent with { LastSeenAt = seen.LastSeenAt };
                    break;
                case TimelineEventAdded { Event: var e } when e.Sequence > newest:
                    added.Add(e);
                    break;
            }
        }

        SetDeployments(deployments.Values);
        if (added.Count > 0) _events.InsertRange(0, added.OrderByDescending(e => e.Sequence));
        // A guard began or ended (a revert is its production change): read it again.
        if (added.Any(e => e.Kind is EventKind.GuardStarted or EventKind.GuardPassed or EventKind.GuardAborted or EventKind.GuardBreached
                or EventKind.AutoReverted)) await LoadGuardAsync(render: false);
        _now = _lastUpdate = Time.GetUtcNow().UtcDateTime;
        StateHasChanged();
    }

    private async Task LoadGuardAsync(bool render = true)
    {
        try
        {
            _guard = await Data.GetGuardAsync(Id, _disposed.Token);
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Loading the guard of agent {AgentId} failed", Id);
        }

        if (render) StateHasChanged();
    }

    /// <summary>Relative times move on; "last seen" arrives through the seam, nothing is read here.</summary>
    private Task OnTickAsync(DateTime now)
    {
        if (_disposed.IsCancellationRequested) return Task.CompletedTask;
        _now = now;
        StateHasChanged();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
        // The token source and lock are left to the GC: an action still finishing on this circuit may touch them.
    }
}
