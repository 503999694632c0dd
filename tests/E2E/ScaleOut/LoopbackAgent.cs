using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// An agent on a loopback port (HttpListener) that lives in the test process (so it outlives a killed Cutover):
/// answers every RPC with a small JSON-RPC result (or with HTTP 500 once <see cref="Failing"/> is set) and
/// <c>/healthz</c> with 200, and counts the health probes it was sent.
/// </summary>
public sealed class LoopbackAgent : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly SemaphoreSlim _probed = new(0);
    private int _probes;
    private volatile bool _failing;

    private LoopbackAgent(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Probes => Volatile.Read(ref _probes);

    /// <summary>When set, every RPC (not the health probes) is answered with HTTP 500.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

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

            var isProbe = context.Request.Url!.AbsolutePath.EndsWith("/healthz", StringComparison.Ordinal);
            if (isProbe)
            {
                Interlocked.Increment(ref _probes);
                _probed.Release();
            }

            context.Response.StatusCode = !isProbe && _failing ? 500 : 200;
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
