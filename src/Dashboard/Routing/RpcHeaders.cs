namespace Cutover.Dashboard.Routing;

/// <summary>Header names the forwarding code sets or guards.</summary>
public static class RpcHeaders
{
    /// <summary>Response header naming the deployment that served the call (or <c>legacy</c>).</summary>
    public const string Deployment = "X-Cutover-Deployment";

    public const string ForwardedFor = "X-Forwarded-For";
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedHost = "X-Forwarded-Host";

    /// <summary>
    /// Request headers that never reach an agent besides the hop-by-hop ones: the caller's credentials for
    /// Cutover (a bearer token or the dashboard's cookie would let an agent act as the operator), and forwarding
    /// headers a caller could spoof (Cutover sets its own).
    /// </summary>
    public static readonly string[] StrippedFromRequest =
    [
        "Authorization", "Cookie", "Host", "Forwarded", ForwardedFor, ForwardedProto, ForwardedHost, "X-Forwarded-Prefix",
        "X-Real-IP", "Proxy-Authorization",
    ];

    /// <summary>
    /// Response headers that never reach the caller: an agent must not set cookies on Cutover's origin (it could
    /// overwrite the dashboard's sign-in cookie) nor announce protocols Cutover does not speak.
    /// </summary>
    public static readonly string[] StrippedFromResponse = ["Set-Cookie", "Set-Cookie2", "Alt-Svc", Deployment];
}
