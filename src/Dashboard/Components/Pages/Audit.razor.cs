using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Shared;
using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>The audit trail: every event, filtered and paged on the server (AuditQueries).</summary>
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

    /// <summary>Links from an agent page pin the list to that agent (<c>/audit?agent={id}</c>).</summary>
    [SupplyParameterFromQuery(Name = "agent")]
    public Guid? AgentId { get; set; }

    [Inject]
    private AuditQueries Queries { get; set; } = default!;

    [Inject]
    private AgentQueries Agents { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<Audit> Logger { get; set; } = default!;

    // The trail itself is not live (a new event shows on the next page load); its relative times are.
    protected override void OnInitialized() =>
        _clock = PageClock.Start(Time, InvokeAsync, now =>
        {
            _now = now;
            StateHasChanged();
            return Task.CompletedTask;
        }, logger: Logger);

    protected override async Task OnParametersSetAsync()
    {
        if (AgentId == _filter.AgentId) return;
        _filter = _filter with { AgentId = AgentId };
        _pinnedAgentName = AgentId is { } id ? (await Agents.GetAsync(id, _disposed.Token))?.Name ?? id.ToString() : null;
        if (_grid is not null) await _grid.FirstPage(forceReload: true);
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
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
        if (_clock is not null) await _clock.DisposeAsync();
    }
}
