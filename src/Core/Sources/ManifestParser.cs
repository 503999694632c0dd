using System.Globalization;
using Cutover.Core.Domain;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cutover.Core.Sources;

/// <summary>
/// Reads <c>cutover.yaml</c> and names every problem it finds (with its line), instead of stopping at the first:
/// unknown keys, duplicate agent names (a duplicate must never silently replace the first), image references the
/// API would refuse, bad promote modes and guards. A manifest with any problem declares nothing.
/// </summary>
public static class ManifestParser
{
    public const int MaxAgents = 1000;
    public const int MaxBytes = 1024 * 1024;

    private static readonly HashSet<string> RootKeys = ["agents"];
    private static readonly HashSet<string> AgentKeys = ["name", "image", "description", "promote", "guard", "metadata"];
    private static readonly HashSet<string> GuardKeys = ["window", "maxErrorRate", "minRequests", "requireHealthy"];

    public static ManifestResult Parse(string text)
    {
        var problems = new List<string>();
        if (text.Length > MaxBytes) return Fail($"The manifest is larger than {MaxBytes / 1024} KiB.");

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // Duplicate keys inside one mapping land here too.
            return Fail($"line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0) return Fail("The manifest is empty: it must have an 'agents' list.");
        if (stream.Documents.Count > 1) problems.Add("The manifest must be one YAML document.");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            return Fail($"line {stream.Documents[0].RootNode.Start.Line}: the manifest must be a mapping with an 'agents' list.");

        UnknownKeys(root, RootKeys, "", problems);
        var agents = new List<DeclaredAgent>();
        if (!root.Children.TryGetValue(new YamlScalarNode("agents"), out var agentsNode))
        {
            problems.Add("'agents' is required.");
        }
        else if (agentsNode is YamlSequenceNode list)
        {
            if (list.Children.Count > MaxAgents) problems.Add($"'agents' may list at most {MaxAgents} agents.");
            var firstLine = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < list.Children.Count; i++)
            {
                var agent = ParseAgent(list.Children[i], $"agents[{i}]", problems);
                // Duplicates are named even when the entry has other problems too.
                if (NameOf(list.Children[i]) is { } name)
                {
                    var line = list.Children[i].Start.Line;
                    if (firstLine.TryGetValue(name, out var first))
                    {
                        problems.Add($"line {line}: agents[{i}]: the name '{name}' is declared twice (first on line {first}).");
                        continue;
                    }

                    firstLine[name] = line;
                }

                if (agent is not null) agents.Add(agent);
            }
        }
        else if (agentsNode is not YamlScalarNode { Value: null or "" })
        {
            problems.Add($"line {agentsNode.Start.Line}: 'agents' must be a list.");
        }

        return problems.Count > 0 ? new ManifestResult(null, problems) : new ManifestResult(new Manifest(agents), []);

        ManifestResult Fail(string problem) => new(null, [.. problems, problem]);
    }

    private static string? NameOf(YamlNode node) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { Length: > 0 } v }
            ? v
            : null;

    private static DeclaredAgent? ParseAgent(YamlNode node, string at, List<string> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"line {node.Start.Line}: {at} must be a mapping with name and image.");
            return null;
        }

        var before = problems.Count;
        UnknownKeys(map, AgentKeys, at + ".", problems);
        var name = Scalar(map, "name", at, problems, required: true);
        if (name is not null && !AgentNameRule.IsValid(name))
            problems.Add($"line {map.Start.Line}: {at}.name '{name}' {AgentNameRule.Description} (at most {Agent.NameMaxLength} characters).");
        var where = name is null ? at : $"{at} ({name})";

        var imageText = Scalar(map, "image", where, problems, required: true);
        DockerImage image = default;
        if (imageText is not null && !DockerImage.TryParse(imageText, out image, out var imageError))
            problems.Add($"line {map.Start.Line}: {where}.image '{imageText}': {imageError!.Replace("dockerImage", "image", StringComparison.Ordinal)}");

        var description = Scalar(map, "description", where, problems, required: false);
        if (description is { Length: > Agent.DescriptionMaxLength })
            problems.Add($"line {map.Start.Line}: {where}.description must be at most {Agent.DescriptionMaxLength} characters.");

        var promote = PromoteMode.Manual;
        var promoteText = Scalar(map, "promote", where, problems, required: false);
        if (promoteText is not null)
        {
            if (string.Equals(promoteText, "auto", StringComparison.OrdinalIgnoreCase)) promote = PromoteMode.Auto;
            else if (!string.Equals(promoteText, "manual", StringComparison.OrdinalIgnoreCase))
                problems.Add($"line {map.Start.Line}: {where}.promote must be 'manual' or 'auto', not '{promoteText}'.");
        }

        var guard = map.Children.TryGetValue(new YamlScalarNode("guard"), out var g) ? ParseGuard(g, where + ".guard", problems) : null;
        var metadata = map.Children.TryGetValue(new YamlScalarNode("metadata"), out var m)
            ? ParseMetadata(m, where + ".metadata", problems)
            : new Dictionary<string, string>();

        if (problems.Count > before) return null;
        return new DeclaredAgent(name!, image, description, promote, guard, metadata);
    }

    private static DeclaredGuard? ParseGuard(YamlNode node, string at, List<string> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"line {node.Start.Line}: {at} must be a mapping.");
            return null;
        }

        UnknownKeys(map, GuardKeys, at + ".", problems);
        var before = problems.Count;
        TimeSpan window = default;
        var windowText = Scalar(map, "window", at, problems, required: true);
        if (windowText is not null && (!TimeSpan.TryParse(windowText, CultureInfo.InvariantCulture, out window) || window <= TimeSpan.Zero))
            problems.Add($"line {map.Start.Line}: {at}.window must be a positive duration like \"00:05:00\", not '{windowText}'.");

        double? maxErrorRate = null;
        if (Scalar(map, "maxErrorRate", at, problems, required: false) is { } rateText)
        {
            if (double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1) maxErrorRate = rate;
            else problems.Add($"line {map.Start.Line}: {at}.maxErrorRate must be a number from 0 to 1, not '{rateText}'.");
        }

        int? minRequests = null;
        if (Scalar(map, "minRequests", at, problems, required: false) is { } minText)
        {
            if (int.TryParse(minText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var min) && min >= 0) minRequests = min;
            else problems.Add($"line {map.Start.Line}: {at}.minRequests must be a whole number of at least 0, not '{minText}'.");
        }

        bool? requireHealthy = null;
        if (Scalar(map, "requireHealthy", at, problems, required: false) is { } healthyText)
        {
            if (bool.TryParse(healthyText, out var healthy)) requireHealthy = healthy;
            else problems.Add($"line {map.Start.Line}: {at}.requireHealthy must be true or false, not '{healthyText}'.");
        }

        if (problems.Count > before) return null;
        // The same rule as a promote's guard in the API (one validation of a guard's bounds).
        if (Guards.GuardSettings.From(window, maxErrorRate, minRequests, requireHealthy, at) is { IsSuccess: false } refused)
        {
            problems.Add($"line {map.Start.Line}: {refused.Failure!.Field}: {refused.Failure.Detail}");
            return null;
        }

        return new DeclaredGuard(window, maxErrorRate, minRequests, requireHealthy);
    }

    private static Dictionary<string, string> ParseMetadata(YamlNode node, string at, List<string> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            problems.Add($"line {node.Start.Line}: {at} must be a mapping of names to text.");
            return result;
        }

        foreach (var (key, value) in map.Children)
        {
            var k = (key as YamlScalarNode)?.Value;
            if (string.IsNullOrEmpty(k) || value is not YamlScalarNode { Value: { } v })
            {
                problems.Add($"line {key.Start.Line}: {at}.{k ?? "?"} must be a name with a text value.");
                continue;
            }

            result[k] = v;
        }

        return result;
    }

    private static string? Scalar(YamlMappingNode map, string key, string at, List<string> problems, bool required)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            if (required) problems.Add($"line {map.Start.Line}: {at}.{key} is required.");
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } v }) return v;
        if (node is YamlScalarNode && required) problems.Add($"line {node.Start.Line}: {at}.{key} must not be empty.");
        else if (node is not YamlScalarNode) problems.Add($"line {node.Start.Line}: {at}.{key} must be a single value.");
        return null;
    }

    private static void UnknownKeys(YamlMappingNode map, HashSet<string> known, string prefix, List<string> problems)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
                problems.Add($"line {key.Start.Line}: unknown key '{prefix}{name}' (known: {string.Join(", ", known)}).");
        }
    }
}
