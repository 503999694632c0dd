using System.CommandLine;
using System.Text.Json;

namespace Cutover.Cli.Output;

/// <summary><c>--output table|json</c> on every list. JSON is the API's own objects, indented, one document.</summary>
public static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table (for people) or json (the API's objects, for scripts).",
            DefaultValueFactory = _ => Table,
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }

    public static void WriteJson(TextWriter writer, object value) =>
        writer.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>
    /// The start of every list command: with <c>--output json</c> the items as the API gave them; with a table and
    /// nothing to show, <paramref name="nothing"/>. True when that was all there was to print.
    /// </summary>
    public static async Task<bool> WroteJsonOrNothingAsync<T>(TextWriter writer, string output, IReadOnlyCollection<T> items, string nothing)
    {
        if (output == Json)
        {
            WriteJson(writer, items);
            return true;
        }

        if (items.Count > 0) return false;
        await writer.WriteLineAsync(nothing);
        return true;
    }

    /// <summary>A time for tables: UTC, to the second.</summary>
    public static string Time(DateTime? at) => at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'") : "-";
}
