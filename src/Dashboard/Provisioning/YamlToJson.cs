using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// Turns a YAML document into the JSON it stands for, so a YAML spec is read by exactly the same reader as a JSON
/// one. Plain scalars follow YAML's core schema (null, true/false, numbers); quoted scalars stay strings.
/// </summary>
public static class YamlToJson
{
    /// <summary>The JSON of <paramref name="yaml"/>'s first document, or null with the error when it is not valid YAML.</summary>
    public static JsonNode? Convert(string yaml, out string? error)
    {
        error = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            error = $"The body is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}";
            return null;
        }
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode m => Mapping(m),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Node).ToArray()),
        YamlScalarNode v => Scalar(v),
        _ => null,
    };

    private static JsonObject Mapping(YamlMappingNode m)
    {
        var o = new JsonObject();
        foreach (var (key, value) in m.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            o[name] = Node(value);
        }

        return o;
    }

    private static JsonNode? Scalar(YamlScalarNode v)
    {
        var text = v.Value ?? "";
        if (v.Style != ScalarStyle.Plain) return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
