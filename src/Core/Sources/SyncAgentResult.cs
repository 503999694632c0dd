using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cutover.Core.Sources;

/// <summary>What a sync did for one agent.</summary>
public sealed record SyncAgentResult(string Name, SourceAgentAction Action, Guid? DeploymentId = null, string? Detail = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    internal static string WriteAll(IReadOnlyList<SyncAgentResult> agents) => JsonSerializer.Serialize(agents, Json);

    internal static IReadOnlyList<SyncAgentResult> ReadAll(string json) =>
        JsonSerializer.Deserialize<List<SyncAgentResult>>(json, Json) ?? [];
}
