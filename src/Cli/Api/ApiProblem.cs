using System.Text.Json;

namespace Cutover.Cli.Api;

/// <summary>An RFC 9457 problem details answer (API.md), with the extensions the CLI reads.</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, string? Field, JsonElement Body)
{
    /// <summary>On a stale confirmation (409 naming <c>expectedProductionDeploymentId</c>): who is production now.</summary>
    public Guid? CurrentProductionDeploymentId =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("currentProductionDeploymentId", out var id)
        && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var g) ? g : null;

    public bool IsStaleConfirmation => Status == 409 && Field == "expectedProductionDeploymentId";

    /// <summary>The exit code for this answer (README "Exit codes").</summary>
    public int ExitCode => Status switch
    {
        400 => ExitCodes.Usage,
        401 or 403 => ExitCodes.Unauthorized,
        404 or 410 => ExitCodes.NotFound,
        409 => ExitCodes.Conflict,
        _ => ExitCodes.Failed,
    };

    /// <summary>"Title: detail", the way every error is printed.</summary>
    public string Message
    {
        get
        {
            var title = string.IsNullOrWhiteSpace(Title) ? $"HTTP {Status}" : Title;
            return string.IsNullOrWhiteSpace(Detail) ? title : $"{title}: {Detail}";
        }
    }

    public static ApiProblem Read(int status, string? reasonPhrase, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement.Clone();
            if (root.ValueKind == JsonValueKind.Object)
                return new ApiProblem(status, Text(root, "title") ?? reasonPhrase, Text(root, "detail"), Text(root, "field"), root);
        }
        catch (JsonException)
        {
        }

        var detail = body.Length > 500 ? body[..500] + "…" : body;
        return new ApiProblem(status, reasonPhrase, string.IsNullOrWhiteSpace(detail) ? null : detail.Trim(), null, default);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
