using System.Globalization;
using System.Text;
using Cutover.Dashboard.Traffic;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// Draws a <see cref="TrafficSeries"/>: one polyline of requests per bucket scaled to the busiest bucket, and a bar
/// per bucket with errors (height: its share of errors, at least a visible sliver). Pure: the parent refreshes it.
/// </summary>
public sealed partial class TrafficSparkline
{
    private string _requestPoints = "";
    private List<(string X, double Height)> _errorBars = [];
    private double _barWidth;

    [Parameter, EditorRequired]
    public TrafficSeries Series { get; set; } = TrafficSeries.Empty;

    [Parameter]
    public int Width { get; set; } = 90;

    [Parameter]
    public int Height { get; set; } = 18;

    private string Summary
    {
        get
        {
            var minutes = (int)(Series.Width.TotalMinutes * Series.Requests.Count);
            var errors = Series.Errors.Sum();
            return $"Requests per minute, last {minutes} min: {Series.Total} in all, {errors} errors, busiest minute {Peak}";
        }
    }

    private long Peak => Series.Requests.Count == 0 ? 0 : Series.Requests.Max();

    protected override void OnParametersSet()
    {
        var n = Series.Requests.Count;
        var peak = Math.Max(1, Peak);
        var step = n > 1 ? (Width - 2.0) / (n - 1) : 0;
        var top = 1.0;
        var bottom = Height - 1.0;
        var points = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            var x = 1 + i * step;
            var y = bottom - (bottom - top) * Series.Requests[i] / peak;
            if (i > 0) points.Append(' ');
            points.Append(Fmt(x)).Append(',').Append(Fmt(y));
        }

        _requestPoints = points.ToString();
        _barWidth = Math.Max(1.5, step * 0.6);
        _errorBars = [];
        for (var i = 0; i < n && i < Series.Errors.Count; i++)
        {
            var errors = Series.Errors[i];
            if (errors <= 0) continue;
            var share = Series.Requests[i] > 0 ? (double)errors / Series.Requests[i] : 1;
            var h = Math.Max(2, (Height - 2) * share);
            _errorBars.Add((Fmt(Math.Max(0, 1 + i * step - _barWidth / 2)), h));
        }
    }

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
