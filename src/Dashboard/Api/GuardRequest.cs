using System.Globalization;
using Cutover.Core.Guards;
using Cutover.Core.Results;

namespace Cutover.Dashboard.Api;

/// <summary>A guard in a request: <c>{ window: "00:10:00", maxErrorRate?, minRequests?, requireHealthy? }</c> (missing fields take the defaults).</summary>
public sealed class GuardRequest
{
    public string? Window { get; set; }

    public double? MaxErrorRate { get; set; }

    public int? MinRequests { get; set; }

    public bool? RequireHealthy { get; set; }

    /// <summary>The settings, or the failure naming the bad field (under <paramref name="field"/>).</summary>
    public Outcome<GuardSettings> ToSettings(string field = "guard")
    {
        TimeSpan? window = null;
        if (Window is not null)
        {
            if (!TimeSpan.TryParseExact(Window, "c", CultureInfo.InvariantCulture, out var parsed))
                return Failure.Invalid($"{field}.window", $"window must be a duration like \"00:10:00\", not '{Clip(Window)}'.");
            window = parsed;
        }

        return GuardSettings.From(window, MaxErrorRate, MinRequests, RequireHealthy, field);
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
