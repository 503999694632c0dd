using System.Text.Json;

namespace Cutover.Core.Domain;

/// <summary>The well-known fields of a deployment's registration metadata, read from its JSON.</summary>
public sealed record DeploymentMetadata(
    string? CommitHash,
    string? Branch,
    string? AuthorName,
    string? AuthorEmail,
    string? BuildTimestamp,
    string? DockerImage)
{
    public static readonly DeploymentMetadata Empty = new(null, null, null, null, null, null);

    public string? ShortCommit => CommitHash is { Length: > 7 } c ? c[..7] : CommitHash;

    public static DeploymentMetadata Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Empty;
            var root = doc.RootElement;
            return new DeploymentMetadata(
                Str(root, "commitHash"),
                Str(root, "branch"),
                Str(root, "authorName"),
                Str(root, "authorEmail"),
                Str(root, "buildTimestamp"),
                Str(root, "dockerImage"));
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
