using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Components.Live;

/// <summary>
/// The most recently changed agents with their health and sync badges, and the last changes, updated live through a
/// <see cref="LiveStatusListener"/>. On a sequence gap it reloads the rows from the database.
/// </summary>
public sealed partial class LiveChanges : IAsyncDisposable
{
    private const int MaxRows = 10;
    private const int MaxRecent = 15;

    private readonly List<AgentLiveState> _rows = [];
    private readonly List<StatusChange> _recent = [];
    private LiveStatusListener? _live;
    private int _reloads;

    [Inject]
    private StatusBus Bus { get; set; } = default!;

    [Inject]
    private IDbContextFactory<CutoverDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<LiveChanges> Logger { get; set; } = default!;

    protected override void OnInitialized()
    {
        _live = LiveStatusListener.Start(Bus, agentId: null, InvokeAsync, ApplyAsync, ReloadAsync, Time, logger: Logger);
        _rows.AddRange(_live.Snapshot.Values.OrderByDescending(s => s.Sequence).ThenBy(s => s.Name).Take(MaxRows));
    }

    public ValueTask DisposeAsync() => _live?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Task ApplyAsync(IReadOnlyList<StatusChange> changes)
    {
        foreach (var change in changes)
        {
            _recent.Insert(0, change);
            // The bus's current state is at least as new as this change: show that.
            if (Bus.Current(change.AgentId) is { } state) MoveToTop(state);
        }

        if (_recent.Count > MaxRecent) _recent.RemoveRange(MaxRecent, _recent.Count - MaxRecent);
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task ReloadAsync()
    {
        _reloads++;
        await using var db = await DbFactory.CreateDbContextAsync();
        var agents = await db.Agents.AsNoTracking().OrderByDescending(a => a.LastSequence).Take(MaxRows).ToListAsync();
        _rows.Clear();
        _rows.AddRange(agents.Select(AgentLiveState.From));
        StateHasChanged();
    }

    private void MoveToTop(AgentLiveState state)
    {
        _rows.RemoveAll(r => r.AgentId == state.AgentId);
        _rows.Insert(0, state);
        if (_rows.Count > MaxRows) _rows.RemoveRange(MaxRows, _rows.Count - MaxRows);
    }

    private string NameOf(Guid agentId) =>
        _rows.FirstOrDefault(r => r.AgentId == agentId)?.Name ?? Bus.Current(agentId)?.Name ?? agentId.ToString("N")[..8];
}
