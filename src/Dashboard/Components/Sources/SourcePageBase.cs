using Cutover.Dashboard.Sources;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Sources;

/// <summary>
/// What the Sources pages share: their data through <see cref="SourcesClient"/>, and a re-read when a source they
/// show changes, at most once per batch window (a sync's start and end, or many sources polled together, are one
/// re-read).
/// </summary>
public abstract class SourcePageBase : ComponentBase, IDisposable
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);
    private int _reloadQueued;

    [Inject]
    protected SourcesClient SourceStore { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    protected DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Whether a change of <paramref name="sourceId"/> concerns this page.</summary>
    protected virtual bool Shows(Guid sourceId) => true;

    protected override async Task OnInitializedAsync()
    {
        SourceStore.Changed += OnSourceChanged;
        await LoadAsync();
    }

    public void Dispose()
    {
        SourceStore.Changed -= OnSourceChanged;
        GC.SuppressFinalize(this);
    }

    private void OnSourceChanged(Guid sourceId)
    {
        if (!Shows(sourceId) || Interlocked.Exchange(ref _reloadQueued, 1) == 1) return;
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(BatchWindow, Time);
            Interlocked.Exchange(ref _reloadQueued, 0);
            await LoadAsync();
            StateHasChanged();
        });
    }
}
