using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cutover.Benchmarks.Guards;

/// <summary>
/// An agent on a loopback port (HttpListener) that names itself in every answer, and can be switched to answer
/// RPCs with HTTP 500 or its <c>/healthz</c> with 503.
/// </summary>
internal sealed class BenchAgent : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly byte[] _body;
    private volatile bool _failRpc;
    private volatile bool _unhealthy;

    private BenchAgent(string name, int port)
    {
        Name = name;
        _body = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":1,"result":{"agent":"{{{name}}}"}}""");
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Name { get; }

    public Uri Url { get; }

    public bool FailRpc { set => _failRpc = value; }

    public bool Unhealthy { set => _unhealthy = value; }

    public static BenchAgent Start(string name)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new BenchAgent(name, port);
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
            context.Response.StatusCode = isProbe ? (_unhealthy ? 503 : 200) : (_failRpc ? 500 : 200);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = _body.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
