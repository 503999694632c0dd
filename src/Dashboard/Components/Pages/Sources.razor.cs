using Cutover.Core.Sources;
using Cutover.Dashboard.Sources;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Admin: every source with its last sync (status, commit, error), when it is next polled, and its Sync now button.
/// Re-reads when a source changes (<see cref="SourceNotifier"/>), at most once per batch window.
/// </summary>
public sealed partial class Sources
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);
    private IReadOnlyList<SourceView>? _sources;
    private string? _error;
    private int _reloadQueued;

    [Inject]
    private SourcesClient SourceStore { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    protected override async Task OnInitializedAsync()
    {
        SourceStore.Changed += OnSourceChanged;
        await LoadAsync();
    }

    public void Dispose() => SourceStore.Changed -= OnSourceChanged;

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _sources = await SourceStore.ListAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    private void OnSourceChanged(Guid sourceId)
    {
        // A burst of changes (a sync's start and end, many sources polled together) is one re-read.
        if (Interlocked.Exchange(ref _reloadQueued, 1) == 1) return;
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(BatchWindow, Time);
            Interlocked.Exchange(ref _reloadQueued, 0);
            await LoadAsync();
            StateHasChanged();
        });
    }

    /// <summary>"Ada Lovelace" of "Ada Lovelace &lt;ada@example.com&gt;" (the address stays in the tooltip).</summary>
    private static string? AuthorName(string? author) =>
        author?.IndexOf(" <", StringComparison.Ordinal) is > 0 and var i ? author[..i] : author;

    private string Until(DateTime at)
    {
        var left = at - Now;
        return left <= TimeSpan.Zero ? "now" : left.TotalSeconds < 60 ? $"in {(int)left.TotalSeconds} s" : $"in {(int)left.TotalMinutes} min";
    }
}
