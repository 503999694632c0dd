using Cutover.Core.Deployments;
using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Components.Live;
using Cutover.Dashboard.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// One agent: header with production and badges, deployments, and the timeline, all kept live from the status
/// bus. The actions (promote, roll back, delete) live in AgentDetail.Actions.cs.
/// </summary>
public sealed partial class AgentDetail : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Guid _loadedId;
    private AgentSummary? _agent;
    private IReadOnlyList<DeploymentRow> _deployments = [];
    private Dictionary<Guid, DeploymentRow> _deploymentsById = [];
    private List<EventRow> _events = [];
    private bool _hasMoreEvents;
    private bool _loadingMore;
    private DeploymentRow? _rollbackTarget;
    private bool _notFound;
    private string? _error;
    private DateTime _now;
    private LiveStatusListener? _live;
    private PageClock? _clock;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private AgentQueries Queries { get; set; } = default!;

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private StatusBus Bus { get; set; } = default!;

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
        _live = LiveStatusListener.Start(Bus, Id, InvokeAsync, _ => OnLiveAsync(gap: false), () => OnLiveAsync(gap: true), Time,
            logger: Logger);
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
            _agent = await Queries.GetAsync(Id, _disposed.Token);
            _notFound = _agent is null;
            if (_agent is null) return;
            await LoadDeploymentsAsync();
            var events = await Queries.TimelineAsync(Id, null, AgentQueries.DefaultTimelineTake, _disposed.Token);
            _events = events.ToList();
            _hasMoreEvents = events.Count == AgentQueries.DefaultTimelineTake;
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Loading agent {AgentId} failed", Id);
            _error = "The database did not answer: " + e.Message;
        }
        finally
        {
            _now = Time.GetUtcNow().UtcDateTime;
            _refresh.Release();
        }
    }

    /// <summary>After a change: re-read the header and deployments, and prepend only the events not shown yet.</summary>
    private async Task RefreshAsync()
    {
        if (_agent is null || _error is not null)
        {
            await ReloadAsync();
            return;
        }

        await _refresh.WaitAsync(_disposed.Token);
        try
        {
            _agent = await Queries.GetAsync(Id, _disposed.Token) ?? _agent;
            await LoadDeploymentsAsync();
            var newest = _events.Count > 0 ? _events[0].Sequence ?? 0 : 0;
            var fresh = await Queries.TimelineSinceAsync(Id, newest, _disposed.Token);
            if (fresh.Count > 0) _events.InsertRange(0, fresh);
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Refreshing agent {AgentId} failed", Id);
            _error = "The database did not answer: " + e.Message;
        }
        finally
        {
            _now = Time.GetUtcNow().UtcDateTime;
            _refresh.Release();
        }
    }

    private async Task LoadDeploymentsAsync()
    {
        _deployments = await Queries.DeploymentsAsync(Id, includeDeleted: true, _disposed.Token);
        _deploymentsById = _deployments.ToDictionary(d => d.Id);
        var target = await Deployments.PreviewRollbackTargetAsync(Id, _disposed.Token);
        _rollbackTarget = target is null ? null : DeploymentRow.From(target);
    }

    private async Task LoadOlderEventsAsync()
    {
        if (_events.Count == 0 || _loadingMore) return;
        _loadingMore = true;
        try
        {
            var older = await Queries.TimelineAsync(Id, _events[^1].Sequence, AgentQueries.DefaultTimelineTake, _disposed.Token);
            _events.AddRange(older);
            _hasMoreEvents = older.Count == AgentQueries.DefaultTimelineTake;
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private async Task OnLiveAsync(bool gap)
    {
        if (_disposed.IsCancellationRequested) return;
        if (gap) await ReloadAsync();
        else await RefreshAsync();
        StateHasChanged();
    }

    /// <summary>Relative times move on, and the header's "last seen" is re-read (it is stamped, not published).</summary>
    private async Task OnTickAsync(DateTime now)
    {
        if (_disposed.IsCancellationRequested) return;
        // A reload or refresh in progress sets "now" itself when it ends; this tick has nothing to add.
        if (!await _refresh.WaitAsync(0)) return;
        try
        {
            _now = now;
            if (_agent is not null && _error is null)
            {
                var seen = await Queries.LastSeenAsync([_agent.Id], _disposed.Token);
                if (seen.TryGetValue(_agent.Id, out var at) && at != _agent.LastSeenAt) _agent = _agent with { LastSeenAt = at };
            }
        }
        finally
        {
            _refresh.Release();
        }

        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
        // The token source and lock are left to the GC: an action still finishing on this circuit may touch them.
    }
}
