using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// An agent on a loopback port (HttpListener): answers every RPC with a small JSON-RPC result and <c>/healthz</c>
/// with 200, and counts the health probes it was sent.
/// </summary>
public sealed class LoopbackAgent : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly SemaphoreSlim _probed = new(0);
    private int _probes;

    private LoopbackAgent(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Probes => Volatile.Read(ref _probes);

    /// <summary>Returns once at least <paramref name="count"/> probes arrived in all, or throws after <paramref name="within"/>.</summary>
    public async Task WaitForProbesAsync(int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Probes < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _probed.WaitAsync(left)) throw new TimeoutException($"{Probes} of {count} probes within {within}.");
        }
    }

    public static LoopbackAgent Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackAgent(port);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (context.Request.Url!.AbsolutePath.EndsWith("/healthz", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _probes);
                _probed.Release();
            }
            var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"result":{"ok":true}}""");
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
