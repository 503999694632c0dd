using System.Collections.Concurrent;
using System.Net;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Agents that answer HTTP/1.0 without <c>Connection: keep-alive</c> (Python's <c>http.server</c> by default) close
/// the connection after every response. SocketsHttpHandler still returns such a connection to its pool, and the
/// next call reuses it before the agent's FIN arrives: the agent never reads it and the call ends with "the
/// response ended prematurely" (measured: 0 of 800 calls fail with pooling off, about 4 in 10 with it on). So a
/// destination seen answering that way is sent every later call over a handler that never reuses a connection;
/// every other agent keeps its pooled, kept-alive connections.
/// </summary>
internal sealed class Http10Destinations(HttpMessageHandler pooled, HttpMessageHandler unpooled) : HttpMessageHandler
{
    private const int MaxRemembered = 10_000;

    private readonly HttpMessageInvoker _pooled = new(pooled, disposeHandler: true);
    private readonly HttpMessageInvoker _unpooled = new(unpooled, disposeHandler: true);
    private readonly ConcurrentDictionary<string, byte> _closing = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = Key(request.RequestUri!);
        if (_closing.ContainsKey(key)) return await _unpooled.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var response = await _pooled.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Marked before the caller reads the body, i.e. before this connection goes back to the pool.
        if (ClosesAfterEachResponse(response))
        {
            if (_closing.Count >= MaxRemembered) _closing.Clear();
            _closing[key] = 0;
        }

        return response;
    }

    public static bool ClosesAfterEachResponse(HttpResponseMessage response) =>
        response.Version == HttpVersion.Version10
        && !response.Headers.Connection.Contains("keep-alive", StringComparer.OrdinalIgnoreCase);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pooled.Dispose();
            _unpooled.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string Key(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
}
