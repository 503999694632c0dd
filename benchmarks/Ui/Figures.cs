using System.Globalization;

namespace Cutover.Benchmarks.Ui;

/// <summary>One printed figure: what was measured, its value, the target and whether the value meets it.</summary>
internal sealed record Figure(string Name, string Value, string Target, bool Met)
{
    public override string ToString() => $"{Name,-58} {Value,14}   target {Target,-22} {(Met ? "MET" : "MISS")}";
}

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return Percentile(sorted, 0.5);
    }

    public static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Kb(double bytes) => (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KB";

    public static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Milliseconds since the Unix epoch, the unit of the pages' <c>performance.timeOrigin + now()</c>.</summary>
    public static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
