using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cutover.Cli.Commands;

/// <summary>
/// The guard a promote or rollback may carry: <c>--guard WINDOW</c> (e.g. <c>10m</c>, <c>90s</c>, <c>1h</c> or
/// <c>00:10:00</c>) with <c>--max-error-rate</c>, <c>--min-requests</c> and <c>--allow-unhealthy</c>. Missing values
/// take the server's defaults; the server checks the bounds (a bad value is its 400, exit 2, naming the field).
/// </summary>
public sealed partial class GuardOptions
{
    public Option<string?> Window { get; } = new("--guard")
    {
        Description = "Watch the new production for this long and revert it by itself on trouble: 10m, 90s, 1h or 00:10:00.",
    };

    public Option<double?> MaxErrorRate { get; } = new("--max-error-rate")
    {
        Description = "With --guard: revert when the share of failed RPCs is above this (0.05 is 5 %; default 0.05).",
    };

    public Option<int?> MinRequests { get; } = new("--min-requests")
    {
        Description = "With --guard: judge the error rate only after this many RPCs (default 20).",
    };

    public Option<bool> AllowUnhealthy { get; } = new("--allow-unhealthy")
    {
        Description = "With --guard: do not revert when its health turns Unhealthy (only the error rate counts).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Window);
        command.Options.Add(MaxErrorRate);
        command.Options.Add(MinRequests);
        command.Options.Add(AllowUnhealthy);
    }

    /// <summary>The request's guard object, or null without <c>--guard</c>; a usage error for a bad window or a lone option.</summary>
    public object? Read(ParseResult parse)
    {
        var window = parse.GetValue(Window);
        var rate = parse.GetValue(MaxErrorRate);
        var min = parse.GetValue(MinRequests);
        var allowUnhealthy = parse.GetValue(AllowUnhealthy);
        if (window is null)
        {
            if (rate is not null || min is not null || allowUnhealthy)
                throw new CliException(ExitCodes.Usage, "--max-error-rate, --min-requests and --allow-unhealthy need --guard WINDOW.");
            return null;
        }

        return new { window = ToApiWindow(window), maxErrorRate = rate, minRequests = min, requireHealthy = allowUnhealthy ? false : (bool?)null };
    }

    /// <summary>One line for the confirmation: "10 min · errors ≤ 5 % over ≥ 20 calls · must stay healthy (server defaults for the rest)".</summary>
    public string? Describe(ParseResult parse)
    {
        var window = parse.GetValue(Window);
        if (window is null) return null;
        var rate = parse.GetValue(MaxErrorRate);
        var min = parse.GetValue(MinRequests);
        return $"watch for {ToApiWindow(window)}"
            + (rate is { } r ? $" · errors ≤ {(r * 100).ToString("0.##", CultureInfo.InvariantCulture)} %" : " · errors ≤ the default limit")
            + (min is { } m ? $" over ≥ {m} calls" : "")
            + (parse.GetValue(AllowUnhealthy) ? " · health not required" : " · must stay healthy");
    }

    /// <summary><c>10m</c> → <c>00:10:00</c>; <c>hh:mm:ss</c> passes as it is.</summary>
    public static string ToApiWindow(string text)
    {
        var t = text.Trim();
        if (TimeSpan.TryParseExact(t, "c", CultureInfo.InvariantCulture, out var exact) && t.Contains(':')) return exact.ToString("c", CultureInfo.InvariantCulture);
        var m = Short().Match(t);
        if (!m.Success) throw new CliException(ExitCodes.Usage, $"--guard: '{text}' is not a duration; use e.g. 10m, 90s, 1h or 00:10:00.");
        var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = m.Groups[2].Value switch { "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        return span.ToString("c", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d{1,6})(s|m|h)$")]
    private static partial Regex Short();
}
