using System.Globalization;
using Cutover.Core.Results;

namespace Cutover.Core.Guards;

/// <summary>What a guard watches for, and for how long (API.md "Guarded promotion").</summary>
public sealed record GuardSettings(TimeSpan Window, double MaxErrorRate, int MinRequests, bool RequireHealthy)
{
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);
    public const int MaxMinRequests = 1_000_000;

    /// <summary>The defaults a guard's missing fields take, and the promote dialog's first offer.</summary>
    public static GuardSettings Defaults { get; } = new(TimeSpan.FromMinutes(10), 0.05, 20, true);

    /// <summary>
    /// Builds settings from a request's fields (missing ones take <see cref="Defaults"/>), or the failure naming the
    /// first bad field under <paramref name="field"/>.
    /// </summary>
    public static Outcome<GuardSettings> From(TimeSpan? window, double? maxErrorRate, int? minRequests, bool? requireHealthy,
        string field = "guard")
    {
        var w = window ?? Defaults.Window;
        if (w < MinWindow || w > MaxWindow)
            return Failure.Invalid($"{field}.window", $"window must be between {MinWindow:c} and {MaxWindow.TotalHours:0} hours, e.g. \"00:10:00\".");
        var rate = maxErrorRate ?? Defaults.MaxErrorRate;
        if (double.IsNaN(rate) || rate < 0 || rate >= 1)
            return Failure.Invalid($"{field}.maxErrorRate", "maxErrorRate must be at least 0 and below 1 (0.05 is 5 %).");
        var min = minRequests ?? Defaults.MinRequests;
        if (min < 1 || min > MaxMinRequests)
            return Failure.Invalid($"{field}.minRequests", $"minRequests must be between 1 and {MaxMinRequests:N0}.");
        return new GuardSettings(w, rate, min, requireHealthy ?? Defaults.RequireHealthy);
    }

    /// <summary>One line for people: "10 min · errors ≤ 5 % over ≥ 20 calls · healthy".</summary>
    public string Describe() =>
        $"{Duration(Window)} · errors ≤ {Percent(MaxErrorRate)} over ≥ {MinRequests.ToString("N0", CultureInfo.InvariantCulture)} calls"
        + (RequireHealthy ? " · must stay healthy" : "");

    public static string Percent(double rate) => (rate * 100).ToString(rate * 100 % 1 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " %";

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 && t.Minutes == 0 && t.Seconds == 0 ? $"{(int)t.TotalHours} h"
        : t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes} min"
        : $"{(int)t.TotalSeconds} s";
}
