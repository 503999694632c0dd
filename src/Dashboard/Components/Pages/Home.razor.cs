using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Components.Live;
using Cutover.Dashboard.Components.Shared;
using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// The agents overview. The grid asks for one page at a time (LoadData → AgentQueries.ListAsync); live changes patch
/// the visible rows' badges in place and reload the page only when what it shows could have changed otherwise.
/// </summary>
public sealed partial class Home : IAsyncDisposable
{
    private static readonly IEnumerable<int> PageSizes = [25, 50, 100];
    private static readonly IReadOnlyList<Option<HealthStatus>> HealthOptions =
        Enum.GetValues<HealthStatus>().Select(h => new Option<HealthStatus>(h.ToString(), h)).ToList();
    private static readonly IReadOnlyList<Option<SyncStatus>> SyncOptions =
        Enum.GetValues<SyncStatus>().Select(s => new Option<SyncStatus>(StatusTone.Label(s), s)).ToList();

    private readonly CancellationTokenSource _disposed = new();
    private RadzenDataGrid<AgentListRow>? _grid;
    // Null until the first page: the grid calls LoadData by itself only while Data is null.
    private List<AgentListRow>? _rows;
    private int _total;
    private bool _loading;
    private bool _empty;
    private string? _error;
    private StatusCounts? _counts;
    private string? _search;
    private HealthStatus? _health;
    private SyncStatus? _sync;
    private DateTime _now;
    private CancellationTokenSource? _debounce;
    private LiveStatusListener? _live;
    private PageClock? _clock;

    [Inject]
    private AgentQueries Queries { get; set; } = default!;

    [Inject]
    private StatusBus Bus { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<Home> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _now = Time.GetUtcNow().UtcDateTime;
        // Subscribe before the first read, so a change between the read and the subscription is not missed.
        _live = LiveStatusListener.Start(Bus, agentId: null, InvokeAsync, changes => OnLiveAsync(changes, gap: false),
            () => OnLiveAsync([], gap: true), Time, logger: Logger);
        _clock = PageClock.Start(Time, InvokeAsync, OnTickAsync, logger: Logger);
        await LoadCountsAsync();
        _empty = _error is null && _counts is { Total: 0 };
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        _now = Time.GetUtcNow().UtcDateTime;
        var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
        var request = new AgentListRequest(
            Skip: args.Skip ?? 0,
            Take: args.Top ?? 25,
            Search: _search,
            Health: _health,
            Sync: _sync,
            Sort: SortOf(sort?.Property),
            Descending: sort?.SortOrder == SortOrder.Descending);
        try
        {
            var page = await Queries.ListAsync(request, _disposed.Token);
            _rows = page.Items.ToList();
            _total = page.Total;
            _error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException && Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Loading the agents page failed");
            _error = "The database did not answer: " + e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task LoadCountsAsync()
    {
        try
        {
            _counts = await Queries.CountsAsync(_disposed.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException && Shared.DataErrors.Is(e))
        {
            Logger.LogWarning(e, "Counting agents failed");
            _error = "The database did not answer: " + e.Message;
        }
    }

    private async Task OnLiveAsync(IReadOnlyList<StatusChange> changes, bool gap)
    {
        if (_disposed.IsCancellationRequested) return;
        _now = Time.GetUtcNow().UtcDateTime;
        var reload = gap;
        foreach (var change in changes)
        {
            var index = _rows?.FindIndex(r => r.Id == change.AgentId) ?? -1;
            switch (change.Field)
            {
                case StatusField.Health when index >= 0 && Enum.TryParse<HealthStatus>(change.To, out var h):
                    _rows![index] = _rows[index] with { Health = h };
                    reload |= _health is not null;
                    break;
                case StatusField.Sync when index >= 0 && Enum.TryParse<SyncStatus>(change.To, out var s):
                    _rows![index] = _rows[index] with { Sync = s };
                    reload |= _sync is not null;
                    break;
                case StatusField.Health:
                    reload |= _health is not null;
                    break;
                case StatusField.Sync:
                    reload |= _sync is not null;
                    break;
                case StatusField.AcpUrl when index >= 0:
                    _rows![index] = _rows[index] with { LastSeenAt = change.At };
                    break;
                default:
                    // A new agent, a production move or a deployment added or removed: counts and columns change.
                    reload |= index >= 0 || change.Kind == EventKind.Registered && change.Field == "agent";
                    break;
            }
        }

        // A new list, not the patched one: the grid keeps the rows it rendered for as long as Data is the same object.
        if (_rows is not null) _rows = [.. _rows];
        await LoadCountsAsync();
        if (_empty && _counts is { Total: > 0 })
        {
            _empty = false; // the grid renders now and loads its first page itself
        }
        else if (reload && _grid is not null)
        {
            await _grid.Reload();
        }

        StateHasChanged();
    }

    /// <summary>Relative times move on, and the visible rows' "last seen" is re-read (it is stamped, not published).</summary>
    private async Task OnTickAsync(DateTime now)
    {
        if (_disposed.IsCancellationRequested) return;
        _now = now;
        if (_rows is { Count: > 0 } && !_loading && _error is null)
        {
            var seen = await Queries.LastSeenAsync(_rows.Select(r => r.Id), _disposed.Token);
            // A new list (see OnLiveAsync: the grid re-reads rows only from a new one).
            _rows = _rows.Select(r => seen.TryGetValue(r.Id, out var at) ? r with { LastSeenAt = at } : r).ToList();
        }

        StateHasChanged();
    }

    private async Task OnSearchInput(ChangeEventArgs e)
    {
        _search = e.Value?.ToString();
        if (_debounce is not null) await _debounce.CancelAsync();
        _debounce = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        try
        {
            // Typing is bursty: query once the person pauses, not per key stroke.
            await Task.Delay(TimeSpan.FromMilliseconds(250), Time, _debounce.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await FirstPageAsync();
    }

    private async Task FilterHealthAsync(HealthStatus? health)
    {
        _health = health;
        await FirstPageAsync();
    }

    private async Task FilterSyncAsync(SyncStatus? sync)
    {
        _sync = sync;
        await FirstPageAsync();
    }

    private async Task ClearFiltersAsync()
    {
        (_search, _health, _sync) = (null, null, null);
        await FirstPageAsync();
    }

    private async Task RetryAsync()
    {
        _error = null;
        await LoadCountsAsync();
        _empty = _error is null && _counts is { Total: 0 };
        if (_grid is not null) await _grid.Reload();
    }

    private Task FirstPageAsync() => _grid?.FirstPage(forceReload: true) ?? Task.CompletedTask;

    private static AgentSort SortOf(string? property) => property switch
    {
        nameof(AgentListRow.Health) => AgentSort.Health,
        nameof(AgentListRow.Sync) => AgentSort.Sync,
        nameof(AgentListRow.LastSeenAt) => AgentSort.LastSeen,
        nameof(AgentListRow.DeploymentCount) => AgentSort.Deployments,
        nameof(AgentListRow.ProductionImage) => AgentSort.ProductionImage,
        _ => AgentSort.Name,
    };

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
        _debounce?.Dispose();
        _disposed.Dispose();
    }

    private sealed record Option<T>(string Text, T Value) where T : struct;
}
