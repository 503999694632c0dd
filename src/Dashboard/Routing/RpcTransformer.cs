using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Header hygiene for one forwarded call. YARP's base transformer copies headers minus the standard hop-by-hop
/// set; this one also drops the caller's credentials and spoofable forwarding headers, drops headers the caller's
/// or agent's <c>Connection</c> header nominates as hop-by-hop (RFC 9110 §7.6.1), sets X-Forwarded-*, sends the
/// call to the agent's URL exactly (the caller's path and query are Cutover's, not the agent's), and names the
/// serving deployment in the response.
/// </summary>
internal sealed class RpcTransformer(RouteTarget target) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = httpContext.Request;
        foreach (var name in RpcHeaders.StrippedFromRequest) Remove(proxyRequest, name);
        // Most callers send no Connection header: skip the tokenizer (and its enumerator) for them.
        var connection = request.Headers.Connection;
        if (connection.Count > 0)
        {
            foreach (var name in Nominated(connection)) Remove(proxyRequest, name);
        }

        if (httpContext.Connection.RemoteIpAddress is { } remote)
            proxyRequest.Headers.TryAddWithoutValidation(RpcHeaders.ForwardedFor, remote.ToString());
        proxyRequest.Headers.TryAddWithoutValidation(RpcHeaders.ForwardedProto, request.Scheme);
        if (request.Host.HasValue) proxyRequest.Headers.TryAddWithoutValidation(RpcHeaders.ForwardedHost, request.Host.Value);

        proxyRequest.RequestUri = target.Url;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        var headers = httpContext.Response.Headers;
        if (proxyResponse is not null && proxyResponse.Headers.TryGetValues(HeaderNames.Connection, out var connection))
        {
            foreach (var name in Nominated(new StringValues(connection.ToArray()))) headers.Remove(name);
        }

        foreach (var name in RpcHeaders.StrippedFromResponse) headers.Remove(name);
        headers[RpcHeaders.Deployment] = target.ServedBy;
        return proceed;
    }

    private static IEnumerable<string> Nominated(StringValues connection)
    {
        foreach (var value in connection)
        {
            if (value is null) continue;
            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return token;
            }
        }
    }

    /// <summary>
    /// Removes a request header. A name that is a content header (the body's framing stays as the caller sent it)
    /// or not a valid header name is left alone: a caller's odd Connection header must not fail the call.
    /// </summary>
    private static void Remove(HttpRequestMessage request, string name)
    {
        try
        {
            request.Headers.Remove(name);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
        }
    }
}
