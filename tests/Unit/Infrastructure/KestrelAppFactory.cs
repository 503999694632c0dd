using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// The real app on real Kestrel (127.0.0.1, a free port) instead of the in-memory test server: real WebSocket
/// clients, raw sockets (malformed framing, connection headers), streaming and client addresses.
/// </summary>
public sealed class KestrelAppFactory : CutoverAppFactory
{
    private Uri? _address;

    public KestrelAppFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>The http:// address the server listens on, ending in '/' (starts it on first use).</summary>
    public Uri Address
    {
        get
        {
            if (_address is not null) return _address;
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return _address = new Uri(address.TrimEnd('/') + "/");
        }
    }

    /// <summary>Starts the app if it is not running yet (settings from <see cref="CutoverAppFactory.With"/> apply).</summary>
    public KestrelAppFactory Started()
    {
        _ = Address;
        return this;
    }

    /// <summary>A plain HTTP client to the listening app (no test-server handler in between).</summary>
    public HttpClient HttpClient(string? bearerToken = AdminToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }
}
