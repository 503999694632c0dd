using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

public sealed partial class SystemStatus
{
    private SystemSnapshot? _stats;
    private string? _error;
    private bool _loading;
    private int _refreshes;

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task RefreshAsync()
    {
        _refreshes++;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            _stats = await Data.GetSystemAsync(CancellationToken.None);
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private static string RelativeTimeExact(DateTime at) => Agents.RelativeTime.Exact(at);

    /// <summary>"3 d 4 h", "2 h 5 min", "12 min": two units at most.</summary>
    private static string Uptime(SystemSnapshot s)
    {
        var up = s.CheckedAt - s.StartedAt;
        if (up < TimeSpan.Zero) up = TimeSpan.Zero;
        return up.TotalDays >= 1 ? $"{(int)up.TotalDays} d {up.Hours} h"
            : up.TotalHours >= 1 ? $"{(int)up.TotalHours} h {up.Minutes} min"
            : up.TotalMinutes >= 1 ? $"{(int)up.TotalMinutes} min"
            : "less than a minute";
    }
}
