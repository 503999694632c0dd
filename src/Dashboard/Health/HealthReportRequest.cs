using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Results;

namespace Cutover.Dashboard.Health;

/// <summary>
/// The body of <c>POST /api/agents/{id}/health</c>: <c>{ status, deploymentId?, detail? }</c>. Parsed by hand so that
/// every refusal names its field (model binding would answer a bad enum with an anonymous 400).
/// </summary>
public sealed record HealthReportRequest(HealthStatus Status, Guid? DeploymentId, string? Detail)
{
    /// <summary>A report is small; anything larger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<Outcome<HealthReportRequest>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return Failure.Invalid("body", $"The body must be at most {MaxBodyBytes} bytes.");
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return Failure.Invalid("body", $"The body must be at most {MaxBodyBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray());
            return Parse(doc.RootElement);
        }
        catch (JsonException)
        {
            return Failure.Invalid("body", "The body must be a JSON object: { \"status\": \"Healthy\" | \"Unhealthy\", \"deploymentId\"?, \"detail\"? }.");
        }
    }

    public static Outcome<HealthReportRequest> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return Failure.Invalid("body", "The body must be a JSON object.");

        HealthStatus? status = null;
        Guid? deploymentId = null;
        string? detail = null;
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name.Equals("status", StringComparison.OrdinalIgnoreCase))
            {
                if (p.Value.ValueKind != JsonValueKind.String || !TryParseStatus(p.Value.GetString(), out var s))
                    return Failure.Invalid("status", "status must be \"Healthy\" or \"Unhealthy\".");
                status = s;
            }
            else if (p.Name.Equals("deploymentId", StringComparison.OrdinalIgnoreCase))
            {
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                if (p.Value.ValueKind != JsonValueKind.String || !Guid.TryParse(p.Value.GetString(), out var id))
                    return Failure.Invalid("deploymentId", "deploymentId must be a deployment id (a GUID string).");
                deploymentId = id;
            }
            else if (p.Name.Equals("detail", StringComparison.OrdinalIgnoreCase))
            {
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                if (p.Value.ValueKind != JsonValueKind.String) return Failure.Invalid("detail", "detail must be a string.");
                detail = p.Value.GetString();
                if (detail!.Length > TimelineEvent.ReasonMaxLength)
                    return Failure.Invalid("detail", $"detail must be at most {TimelineEvent.ReasonMaxLength} characters.");
                if (detail.Length == 0) detail = null;
            }
        }

        if (status is not { } st) return Failure.Invalid("status", "status is required: \"Healthy\" or \"Unhealthy\".");
        return new HealthReportRequest(st, deploymentId, detail);
    }

    /// <summary>
    /// Healthy or Unhealthy, by name. "Unknown" is refused: it is what the control plane concludes when nothing is
    /// observed, not something an agent can observe about itself.
    /// </summary>
    private static bool TryParseStatus(string? text, out HealthStatus status)
    {
        status = default;
        if (string.Equals(text, nameof(HealthStatus.Healthy), StringComparison.OrdinalIgnoreCase)) status = HealthStatus.Healthy;
        else if (string.Equals(text, nameof(HealthStatus.Unhealthy), StringComparison.OrdinalIgnoreCase)) status = HealthStatus.Unhealthy;
        else return false;
        return true;
    }
}
