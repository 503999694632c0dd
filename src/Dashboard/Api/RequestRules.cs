using System.Text.Json;
using Cutover.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>Validation of request fields at the edge, each failure naming its field.</summary>
public static partial class RequestRules
{
    public const int ReasonMaxLength = TimelineEvent.ReasonMaxLength;

    public static ProblemHttpResult? AgentName(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name)) return Problems.Invalid(field, $"'{field}' is required.");
        if (name.Length > Agent.NameMaxLength) return Problems.Invalid(field, $"'{field}' must be at most {Agent.NameMaxLength} characters.");
        if (!AgentNameRule.IsValid(name)) return Problems.Invalid(field, $"'{field}' {AgentNameRule.Description}.");
        return null;
    }

    public static ProblemHttpResult? MaxLength(string? value, int max, string field) =>
        value is { } v && v.Length > max ? Problems.Invalid(field, $"'{field}' must be at most {max} characters.") : null;

    /// <summary>Free text (a description, a reason): at most <paramref name="max"/> characters and no control characters.</summary>
    public static ProblemHttpResult? Text(string? value, int max, string field) =>
        MaxLength(value, max, field) ?? (HasControl(value) ? Problems.Invalid(field, $"'{field}' must not contain control characters.") : null);

    /// <summary>True when <paramref name="value"/> holds a control character (newline, carriage return, NUL...).</summary>
    public static bool HasControl(string? value) => value is not null && value.Any(char.IsControl);

    /// <summary>
    /// Checks registration metadata: a JSON object of at most 16 KiB; <c>deploymentId</c> a GUID string and
    /// <c>dockerImage</c> a string when present. Returns the raw JSON to store.
    /// </summary>
    public static ProblemHttpResult? Metadata(JsonElement? metadata, out string? json, out Guid? deploymentId, out string? dockerImage)
    {
        json = null;
        deploymentId = null;
        dockerImage = null;
        if (metadata is not { } m || m.ValueKind == JsonValueKind.Null) return null;
        if (m.ValueKind != JsonValueKind.Object) return Problems.Invalid("registrationMetadata", "'registrationMetadata' must be a JSON object.");

        json = m.GetRawText();
        if (json.Length > Deployment.MetadataMaxLength)
            return Problems.Invalid("registrationMetadata", $"'registrationMetadata' must be at most {Deployment.MetadataMaxLength} characters of JSON.");

        if (m.TryGetProperty("deploymentId", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.String || !Guid.TryParse(d.GetString(), out var id))
                return Problems.Invalid("registrationMetadata.deploymentId", "'registrationMetadata.deploymentId' must be a GUID string.");
            if (id == Guid.Empty)
                return Problems.Invalid("registrationMetadata.deploymentId", "'registrationMetadata.deploymentId' must not be the all-zeros GUID.");
            deploymentId = id;
        }

        if (m.TryGetProperty("dockerImage", out var i) && i.ValueKind != JsonValueKind.Null)
        {
            if (i.ValueKind != JsonValueKind.String)
                return Problems.Invalid("registrationMetadata.dockerImage", "'registrationMetadata.dockerImage' must be a string.");
            dockerImage = i.GetString();
            if (!DockerImage.TryParse(dockerImage, out _, out var error)) return Problems.Invalid("registrationMetadata.dockerImage", error!);
        }

        foreach (var known in new[] { "commitHash", "branch", "authorName", "authorEmail", "buildTimestamp" })
        {
            if (m.TryGetProperty(known, out var v) && v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return Problems.Invalid($"registrationMetadata.{known}", $"'registrationMetadata.{known}' must be a string.");
        }

        return null;
    }

    /// <summary>Parses an optional integer query value, naming the field when it is not a number.</summary>
    public static ProblemHttpResult? OptionalLong(string? text, string field, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return null;
        if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v))
            return Problems.Invalid(field, $"'{field}' must be a whole number.");
        value = v;
        return null;
    }

    /// <summary>
    /// Parses an optional enum query value: exactly one defined name, any case. A number, a comma-joined list (which
    /// Enum.TryParse would OR together) or an unknown name is refused, naming the field and the allowed names.
    /// </summary>
    public static ProblemHttpResult? OptionalEnum<T>(string? text, string field, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var name in Enum.GetNames<T>())
        {
            if (!string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) continue;
            value = Enum.Parse<T>(name);
            return null;
        }

        return Problems.Invalid(field, $"'{field}' must be one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    /// <summary>Parses an optional boolean query value (true/false).</summary>
    public static ProblemHttpResult? OptionalBool(string? text, string field, out bool value)
    {
        value = false;
        if (string.IsNullOrEmpty(text)) return null;
        if (!bool.TryParse(text, out value)) return Problems.Invalid(field, $"'{field}' must be true or false.");
        return null;
    }

}
