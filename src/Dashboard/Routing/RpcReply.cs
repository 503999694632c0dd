namespace Cutover.Dashboard.Routing;

/// <summary>
/// What an in-process RPC (the dashboard's "Try it" panel) got back. <see cref="FromAgent"/> is false when Cutover
/// answered itself (no route, unreachable, timed out); <see cref="Body"/> then holds the reason.
/// </summary>
public sealed record RpcReply(
    int StatusCode,
    string Body,
    string? ContentType,
    TimeSpan Elapsed,
    string? ServedBy,
    bool FromAgent,
    bool Truncated);
