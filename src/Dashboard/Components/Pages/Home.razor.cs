using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Shared;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// The agents overview. The table asks the seam for one page at a time (server-side paging, sorting and filters, so
/// 10,000 agents cost one page of rows); live changes patch the visible rows in place and reload the page only when
/// what it shows could have changed otherwise. Filters live in the URL (<c>?q=&amp;health=&amp;sync=</c>), so a view is
/// a link.
/// </summary>
public sealed partial class Home : IAsyncDisposable
{
    private static readonly int[] PageSizes = [25, 50, 100];
    private static readonly TimeSpan SearchPause = TimeSpan.FromMilliseconds(150);

    private readonly CancellationTokenSource _disposed = new();
    // The rows on screen as live changes left them; reset by every page load.
    private readonly Dictionary<Guid, AgentListRow> _shown = [];
    private MudTable<AgentListRow>? _table;
    private bool _empty;
    private string? _error;
    private StatusCounts? _counts;
    private string? _searchText;
    private (string?, HealthStatus?, SyncStatus?) _applied;
    private DateTime _now;
    private DateTime _lastUpdate;
    private CancellationTokenSource? _debounce;
    private DashboardSubscription? _live;
    private PageClock? _clock;

    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    // Query parameters cannot be enums: the words are parsed here, and anything else means "any".
    [SupplyParameterFromQuery(Name = "health")]
    public string? HealthText { get; set; }

    [SupplyParameterFromQuery(Name = "sync")]
    public string? SyncText { get; set; }

    private HealthStatus? Health => Enum.TryParse<HealthStatus>(HealthText, ignoreCase: true, out var h) ? h : null;

    private SyncStatus? Sync => Enum.TryParse<SyncStatus>(SyncText, ignoreCase: true, out var s) ? s : null;

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<Home> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _now = _lastUpdate = Time.GetUtcNow().UtcDateTime;
        _applied = (Search, Health, Sync);
        _searchText = Search;
        // Subscribe before the first read, so a change between the read and the subscription is not missed.
        _live = Data.Subscribe(agentId: null, InvokeAsync, OnLiveAsync);
        _clock = PageClock.Start(Time, InvokeAsync, OnTickAsync, logger: Logger);
        await LoadCountsAsync();
        _empty = _error is null && _counts is { Total: 0 };
    }

    protected override async Task OnParametersSetAsync()
    {
        // The URL's filters changed (a filter was picked, or back/forward): show the first page of the new view.
        if (_applied == (Search, Health, Sync)) return;
        _applied = (Search, Health, Sync);
        _searchText = Search;
        if (_table is not null) await FirstPageAsync();
    }

    private AgentListRow Current(AgentListRow row) => _shown.GetValueOrDefault(row.Id) ?? row;

    private async Task<TableData<AgentListRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        var request = new AgentListRequest(
            Skip: state.Page * state.PageSize,
            Take: state.PageSize,
            Search: Search,
            Health: Health,
            Sync: Sync,
            Sort: Enum.TryParse<AgentSort>(state.SortLabel, out var sort) ? sort : AgentSort.Name,
            Descending: state.SortDirection == SortDirection.Descending);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            var page = await Data.GetAgentsAsync(request, linked.Token);
            _error = null;
            _shown.Clear();
            foreach (var row in page.Items) _shown[row.Id] = row;
            return new TableData<AgentListRow> { Items = page.Items, TotalItems = page.Total };
        }
        catch (Exception e) when (e is not OperationCanceledException && Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Loading the agents page failed");
            _error = "The database did not answer: " + e.Message;
            return new TableData<AgentListRow> { Items = [], TotalItems = 0 };
        }
    }

    private async Task LoadCountsAsync()
    {
        try
        {
            _counts = await Data.GetAgentCountsAsync(_disposed.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException && Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Counting agents failed");
            _error = "The database did not answer: " + e.Message;
        }
    }

    private async Task OnLiveAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (_disposed.IsCancellationRequested) return;
        _now = _lastUpdate = Time.GetUtcNow().UtcDateTime;
        var reload = false;
        var counts = false;
        foreach (var change in changes)
        {
            switch (change)
            {
                case AgentStatusChanged { State: var s }:
                    counts = true;
                    if (_shown.TryGetValue(s.AgentId, out var row))
                    {
                        // A production move changes the image and commit columns: those come from the database.
                        reload |= row.ProductionDeploymentId != s.ProductionDeploymentId;
                        _shown[s.AgentId] = row with { Health = s.Health, Sync = s.Sync, Sequence = s.Sequence };
                    }

                    // A filtered view may gain or lose this agent.
                    reload |= Health is not null || Sync is not null;
                    break;
                case AgentSeen seen when _shown.TryGetValue(seen.AgentId, out var seenRow):
                    _shown[seen.AgentId] = seenRow with { LastSeenAt = seen.LastSeenAt };
                    break;
                case TimelineEventAdded { Event: var e }:
                    // A new agent, a deployment added or removed, or an agent deleted: counts and columns change.
                    reload |= e.Kind is EventKind.Created or EventKind.Deleted or EventKind.Purged or EventKind.AgentDeleted
                        || e.Kind == EventKind.Registered && !_shown.ContainsKey(e.AgentId ?? Guid.Empty);
                    break;
                case SnapshotStale:
                    reload = counts = true;
                    break;
            }
        }

        if (counts) await LoadCountsAsync();
        if (_empty && _counts is { Total: > 0 })
        {
            _empty = false; // the table renders now and loads its first page itself
        }
        else if (reload && _table is not null)
        {
            await _table.ReloadServerData();
        }

        StateHasChanged();
    }

    /// <summary>Relative times move on; nothing is read (last-seen moves arrive through the seam).</summary>
    private Task OnTickAsync(DateTime now)
    {
        if (_disposed.IsCancellationRequested) return Task.CompletedTask;
        _now = now;
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task OnSearchChanged(string? text)
    {
        _searchText = text;
        if (_debounce is not null) await _debounce.CancelAsync();
        _debounce = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        try
        {
            // Typing is bursty: query once the person pauses, not per key stroke. Short enough that the result shows
            // within 300 ms of the last key at 10,000 agents (benchmarks/Ui measures it).
            await Task.Delay(SearchPause, Time, _debounce.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Navigate(string.IsNullOrWhiteSpace(text) ? null : text.Trim(), Health, Sync);
    }

    private Task FilterAsync(HealthStatus? health = null, SyncStatus? sync = null, bool clearHealth = false, bool clearSync = false)
    {
        Navigate(Search, clearHealth ? null : health ?? Health, clearSync ? null : sync ?? Sync);
        return Task.CompletedTask;
    }

    private Task ClearFiltersAsync()
    {
        _searchText = null;
        Navigate(null, null, null);
        return Task.CompletedTask;
    }

    private void Navigate(string? search, HealthStatus? health, SyncStatus? sync) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = search,
            ["health"] = health?.ToString(),
            ["sync"] = sync?.ToString(),
        }), replace: true);

    private async Task RetryAsync()
    {
        _error = null;
        await LoadCountsAsync();
        _empty = _error is null && _counts is { Total: 0 };
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task FirstPageAsync()
    {
        if (_table is null) return;
        if (_table.CurrentPage != 0) _table.NavigateTo(0);
        await _table.ReloadServerData();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
        _debounce?.Dispose();
        _disposed.Dispose();
    }
}
