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

    /// <summary>A time for tables: UTC, to the second.</summary>
    public static string Time(DateTime? at) => at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'") : "-";
}
