using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cutover.SampleAgent;

/// <summary>
/// A JSON-RPC 2.0 endpoint with the A2A-style <c>message/send</c> method. Errors follow the specification's codes
/// and are sent with HTTP 200, as JSON-RPC over HTTP does; a notification (no id) gets 204 and no body.
/// </summary>
public static class JsonRpcEndpoint
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>The method that switches faults: <c>{ "rpc": "fail" | "ok", "health": "unhealthy" | "healthy" }</c>.</summary>
    public const string FaultMethod = "agent/fault";

    public static async Task<IResult> HandleAsync(HttpRequest request, AgentSettings settings, AgentFaults faults,
        CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return Error(null, ParseError, "Parse error: the body is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                return Error(null, InvalidRequest, "Invalid Request: batches are not supported by this agent.");
            if (root.ValueKind != JsonValueKind.Object)
                return Error(null, InvalidRequest, "Invalid Request: the body must be a JSON-RPC request object.");

            var hasId = root.TryGetProperty("id", out var idElement);
            JsonNode? id = hasId ? JsonNode.Parse(idElement.GetRawText()) : null;
            if (hasId && idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                return Error(null, InvalidRequest, "Invalid Request: id must be a string, a number or null.");
            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
                return Error(id, InvalidRequest, "Invalid Request: jsonrpc must be \"2.0\".");
            if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                return Error(id, InvalidRequest, "Invalid Request: method must be a string.");

            if (settings.Delay > TimeSpan.Zero) await Task.Delay(settings.Delay, cancellationToken);

            var method = methodElement.GetString()!;
            var parameters = root.TryGetProperty("params", out var p) ? p : default;
            if (method == FaultMethod)
            {
                var switched = SwitchFaults(parameters, faults);
                return switched.Error is { } fe ? Error(id, fe.Code, fe.Message) : Result(id, switched.Result!);
            }

            // A switched-on fault answers as a broken build does: HTTP 500, whatever was asked.
            if (faults.FailRpc)
                return Error(id, InternalError, "Internal error: failing on purpose (agent/fault rpc=fail).", StatusCodes.Status500InternalServerError);

            var reply = Dispatch(method, parameters, settings);
            if (!hasId) return Results.NoContent();
            return reply.Error is { } e ? Error(id, e.Code, e.Message) : Result(id, reply.Result!);
        }
    }

    private static Reply Dispatch(string method, JsonElement parameters, AgentSettings settings)
    {
        if (method is not ("message/send" or "agent/info"))
            return new Reply(null, (MethodNotFound, $"Method not found: {method}."));
        if (settings.FailRate > 0 && Random.Shared.NextDouble() < settings.FailRate)
            return new Reply(null, (InternalError, "Internal error: injected failure (AGENT_FAIL_RATE)."));

        if (method == "agent/info") return new Reply(Info(settings), null);

        var text = ReadText(parameters);
        if (text is null)
            return new Reply(null, (InvalidParams, "Invalid params: params.message needs at least one text part."));

        var result = new JsonObject
        {
            ["kind"] = "message",
            ["messageId"] = Guid.NewGuid().ToString(),
            ["role"] = "agent",
            ["parts"] = new JsonArray(new JsonObject
            {
                ["kind"] = "text",
                ["text"] = $"{settings.Name} {settings.Version} heard: {text}",
            }),
            ["metadata"] = Info(settings),
        };
        return new Reply(result, null);
    }

    private static Reply SwitchFaults(JsonElement parameters, AgentFaults faults)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
            return new Reply(null, (InvalidParams, "Invalid params: give rpc (\"fail\" or \"ok\") and/or health (\"unhealthy\" or \"healthy\")."));
        bool? failRpc = null, unhealthy = null;
        if (parameters.TryGetProperty("rpc", out var rpc))
        {
            failRpc = rpc.ValueKind == JsonValueKind.String ? rpc.GetString() switch { "fail" => true, "ok" => false, _ => null } : null;
            if (failRpc is null) return new Reply(null, (InvalidParams, "Invalid params: rpc must be \"fail\" or \"ok\"."));
        }

        if (parameters.TryGetProperty("health", out var health))
        {
            unhealthy = health.ValueKind == JsonValueKind.String ? health.GetString() switch { "unhealthy" => true, "healthy" => false, _ => null } : null;
            if (unhealthy is null) return new Reply(null, (InvalidParams, "Invalid params: health must be \"unhealthy\" or \"healthy\"."));
        }

        if (failRpc is null && unhealthy is null)
            return new Reply(null, (InvalidParams, "Invalid params: give rpc and/or health."));
        faults.Set(failRpc, unhealthy);
        return new Reply(new JsonObject { ["rpc"] = faults.FailRpc ? "fail" : "ok", ["health"] = faults.Unhealthy ? "unhealthy" : "healthy" }, null);
    }

    private static JsonObject Info(AgentSettings settings) => new()
    {
        ["agent"] = settings.Name,
        ["version"] = settings.Version,
        ["image"] = settings.Image,
        ["deploymentId"] = settings.DeploymentId?.ToString(),
        ["processId"] = Environment.ProcessId,
    };

    /// <summary>The text parts of <c>params.message.parts</c> (A2A) joined, or <c>params.text</c> for quick tests.</summary>
    private static string? ReadText(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object) return null;
        if (parameters.TryGetProperty("text", out var plain) && plain.ValueKind == JsonValueKind.String) return plain.GetString();
        if (!parameters.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return null;
        if (!message.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array) return null;

        var texts = parts.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(part => part.GetProperty("text").GetString())
            .ToList();
        return texts.Count == 0 ? null : string.Join("\n", texts);
    }

    private static IResult Result(JsonNode? id, JsonNode result) =>
        Results.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });

    private static IResult Error(JsonNode? id, int code, string message, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        }, statusCode: statusCode);

    private sealed record Reply(JsonNode? Result, (int Code, string Message)? Error);
}
