using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Live;
using Cutover.Dashboard.Components.Shared;
using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// The audit trail: every event, filtered and paged on the server (AuditQueries). It is live for agent events: a
/// committed status change reloads the first page in place (as a feed would) and, on a later page, offers a jump to
/// the newest instead of moving the rows someone is reading. Security events (sign-ins, tokens, users) are not
/// published on the status bus and show on the next load.
/// </summary>
public sealed partial class Audit : IAsyncDisposable
{
    private static readonly IEnumerable<int> PageSizes = [50, 100, 200];

    private readonly CancellationTokenSource _disposed = new();
    private RadzenDataGrid<EventRow>? _grid;
    // Null until the first page: the grid calls LoadData by itself only while Data is null.
    private List<EventRow>? _rows;
    private int _total;
    private bool _loading;
    private string? _error;
    private DateTime _now;
    private AuditRequest _filter = new();
    private string? _pinnedAgentName;
    private IReadOnlyDictionary<Guid, DeploymentRow> _deployments = new Dictionary<Guid, DeploymentRow>();
    private PageClock? _clock;
    private LiveStatusListener? _live;
    private bool _newer; // events arrived while a later page was shown
    private bool _quietLoad;

    /// <summary>Links from an agent page pin the list to that agent (<c>/audit?agent={id}</c>).</summary>
    [SupplyParameterFromQuery(Name = "agent")]
    public Guid? AgentId { get; set; }

    [Inject]
    private AuditQueries Queries { get; set; } = default!;

    [Inject]
    private AgentQueries Agents { get; set; } = default!;

    [Inject]
    private StatusBus Bus { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<Audit> Logger { get; set; } = default!;

    protected override void OnInitialized()
    {
        _live = LiveStatusListener.Start(Bus, agentId: null, InvokeAsync, OnLiveAsync, () => OnLiveAsync([]), Time, logger: Logger);
        _clock = PageClock.Start(Time, InvokeAsync, now =>
        {
            _now = now;
            StateHasChanged();
            return Task.CompletedTask;
        }, logger: Logger);
    }

    /// <summary>New events were committed (or some were missed: a gap reloads the same way).</summary>
    private async Task OnLiveAsync(IReadOnlyList<StatusChange> changes)
    {
        if (_disposed.IsCancellationRequested || _grid is null || _error is not null) return;
        if (_filter.AgentId is { } pinned && changes.Count > 0 && changes.All(c => c.AgentId != pinned)) return;
        if (_grid.CurrentPage == 0)
        {
            _quietLoad = true;
            await _grid.Reload();
        }
        else
        {
            _newer = true;
        }

        StateHasChanged();
    }

    // Loading the first page clears the notice (LoadAsync).
    private Task ShowNewestAsync() => _grid?.FirstPage(forceReload: true) ?? Task.CompletedTask;

    protected override async Task OnParametersSetAsync()
    {
        if (AgentId == _filter.AgentId) return;
        _filter = _filter with { AgentId = AgentId };
        _pinnedAgentName = AgentId is { } id ? (await Agents.GetAsync(id, _disposed.Token))?.Name ?? id.ToString() : null;
        if (_grid is not null) await _grid.FirstPage(forceReload: true);
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        // A live reload keeps the rows on screen until the new ones arrive: no loading overlay flashing per change.
        _loading = !_quietLoad;
        _quietLoad = false;
        if ((args.Skip ?? 0) == 0) _newer = false;
        _now = Time.GetUtcNow().UtcDateTime;
        try
        {
            var page = await Queries.ListAsync(_filter with { Skip = args.Skip ?? 0, Take = args.Top ?? 50 }, _disposed.Token);
            _rows = page.Items.ToList();
            _total = page.Total;
            _deployments = await Agents.DeploymentsByIdAsync(
                _rows.Where(r => r.DeploymentId is not null).Select(r => r.DeploymentId!.Value), _disposed.Token);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            Logger.LogWarning(e, "Loading the audit trail failed");
            _error = "The database did not answer: " + e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task ApplyAsync(AuditRequest filter)
    {
        _filter = filter;
        if (filter.AgentId is null) _pinnedAgentName = null;
        if (_grid is not null) await _grid.FirstPage(forceReload: true);
    }

    private Task RetryAsync()
    {
        _error = null;
        return Task.CompletedTask; // the grid renders again and loads its page
    }

    /// <summary>Names the page's deployments from one lookup per page; purged ones fall back to a short id.</summary>
    private string DeploymentLabel(Guid id) => Cutover.Dashboard.Components.Agents.EventText.Label(_deployments.GetValueOrDefault(id), id);

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
    }
}
