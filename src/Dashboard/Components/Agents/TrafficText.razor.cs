using System.Globalization;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Traffic;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// Reads the deployment's one-minute figures and its 15-minute series through the dashboard seam (in memory, no
/// query) when shown and then every <see cref="RefreshInterval"/> while the page is open; renders only on a change.
/// </summary>
public sealed partial class TrafficText : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TrafficSnapshot? _figures;
    private TrafficSeries _series = TrafficSeries.Empty;

    [Inject]
    private IDashboardClient Client { get; set; } = default!;

    [Parameter, EditorRequired]
    public Guid DeploymentId { get; set; }

    /// <summary>Say nothing while there is no traffic (the line appears with the first call).</summary>
    [Parameter]
    public bool Quiet { get; set; }

    [Parameter]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    private string ErrorClass => _figures is { Requests: > 0, Errors: > 0 } ? " traffic-errors" : "";

    protected override void OnParametersSet()
    {
        _figures = Client.GetTraffic(DeploymentId, TrafficFigures.OneMinute);
        _series = Client.GetTrafficSeries(DeploymentId);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _ = RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var next = Client.GetTraffic(DeploymentId, TrafficFigures.OneMinute);
                var series = Client.GetTrafficSeries(DeploymentId);
                if (next == _figures && series.SameAs(_series)) continue;
                (_figures, _series) = (next, series);
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the tick and the render.
        }
    }

    private static string Percent(double rate) => (rate * 100).ToString(rate is 0 or 1 ? "0" : "0.0", CultureInfo.InvariantCulture) + " %";

    private static string Milliseconds(double? ms) => ms switch
    {
        null => "–",
        < 10 => ms.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        < 10_000 => ms.Value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        _ => (ms.Value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
    };

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
