using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cutover.Core.Deployments;

/// <summary>
/// Registration metadata of a deployment that already has some (set at creation: commit, branch) is merged with
/// what the pod registers: the pod's keys win, keys it does not send are kept.
/// </summary>
public static class MetadataMerge
{
    public static string Merge(string existingJson, string incomingJson)
    {
        if (TryObject(existingJson) is not { } merged || merged.Count == 0) return incomingJson;
        if (TryObject(incomingJson) is not { } incoming) return incomingJson;
        foreach (var (key, value) in incoming.ToList())
        {
            incoming.Remove(key);
            merged[key] = value;
        }

        return merged.ToJsonString();
    }

    private static JsonObject? TryObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
