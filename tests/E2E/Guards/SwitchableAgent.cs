using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cutover.Tests.E2E.Guards;

/// <summary>
/// An agent on a loopback port that lives in the test process (so it outlives a killed Cutover): answers RPCs with
/// a small JSON-RPC result, or with HTTP 500 once <see cref="Failing"/> is set; <c>/healthz</c> always 200.
/// </summary>
public sealed class SwitchableAgent : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private volatile bool _failing;

    private SwitchableAgent(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public static SwitchableAgent Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new SwitchableAgent(port);
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
