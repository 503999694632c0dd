using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> every RPC to an agent goes through (forwarded calls and the dashboard's
/// "Try it" panel alike). Not an HttpClient, which would buffer; no proxy, redirects, decompression or cookies, so
/// what the agent sends is what the caller gets; pooled connections. Every new connection checks the address it
/// is about to connect to with <see cref="UrlSafety.CheckAddress"/>.
/// </summary>
public sealed class ForwardingInvoker : IDisposable
{
    private readonly UrlSafety _urlSafety;

    public ForwardingInvoker(IOptions<RoutingOptions> options, UrlSafety urlSafety)
    {
        _urlSafety = urlSafety;
        var o = options.Value;
        // One invoker; agents that close after every HTTP/1.0 response get connections that are never reused.
        Invoker = new HttpMessageInvoker(new Http10Destinations(Handler(o, o.PooledConnectionLifetime), Handler(o, TimeSpan.Zero)),
            disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();

    private SocketsHttpHandler Handler(RoutingOptions o, TimeSpan pooledConnectionLifetime) =>
        new()
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = o.ConnectTimeout,
            PooledConnectionIdleTimeout = o.PooledConnectionIdleTimeout,
            PooledConnectionLifetime = pooledConnectionLifetime,
            // Continue the caller's trace instead of starting a second one beside it.
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectCallback = SafeConnect.With(_urlSafety),
        };
}
