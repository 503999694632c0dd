using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// The most recently changed agents with their health and sync badges, and the last changes, from the seam's
/// subscription. On a gap or a reconnection it restarts from a fresh snapshot.
/// </summary>
public sealed partial class LiveChanges : IAsyncDisposable
{
    private const int MaxRows = 10;
    private const int MaxRecent = 15;

    private readonly List<AgentLiveState> _rows = [];
    private readonly List<EventRow> _recent = [];
    private DashboardSubscription? _live;
    private DateTime _lastUpdate;
    private int _reloads;

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override void OnInitialized() => Start();

    public ValueTask DisposeAsync() => _live?.DisposeAsync() ?? ValueTask.CompletedTask;

    private void Start()
    {
        _lastUpdate = Time.GetUtcNow().UtcDateTime;
        _live = Data.Subscribe(agentId: null, InvokeAsync, ApplyAsync);
        _rows.Clear();
        _rows.AddRange(_live.Snapshot.Values.OrderByDescending(s => s.Sequence).ThenBy(s => s.Name).Take(MaxRows));
    }

    private Task ApplyAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (changes.Any(c => c is SnapshotStale))
        {
            _reloads++;
            // A new subscription brings a fresh snapshot. The old one is not awaited here: this call runs inside its
            // delivery, which its disposal waits for.
            var old = _live;
            Start();
            if (old is not null) _ = old.DisposeAsync().AsTask();
            StateHasChanged();
            return Task.CompletedTask;
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case AgentStatusChanged { State: var state }:
                    _rows.RemoveAll(r => r.AgentId == state.AgentId);
                    _rows.Insert(0, state);
                    break;
                case TimelineEventAdded { Event: var e }:
                    _recent.Insert(0, e);
                    break;
            }
        }

        if (_rows.Count > MaxRows) _rows.RemoveRange(MaxRows, _rows.Count - MaxRows);
        if (_recent.Count > MaxRecent) _recent.RemoveRange(MaxRecent, _recent.Count - MaxRecent);
        _lastUpdate = Time.GetUtcNow().UtcDateTime;
        StateHasChanged();
        return Task.CompletedTask;
    }

    private static string ShortId(Guid id) => "deployment " + id.ToString("N")[^8..];
}
