using System.Net;
using System.Net.Http.Headers;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Routing;

/// <summary>
/// The real app on real Kestrel (127.0.0.1, free port) instead of the in-memory test server, so forwarding is
/// tested over real sockets: streaming, client addresses for X-Forwarded-For, connection headers.
/// </summary>
public sealed class KestrelCutoverFactory : CutoverAppFactory
{
    public KestrelCutoverFactory()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where the app listens (after <see cref="Started"/>).</summary>
    public Uri Address { get; private set; } = default!;

    /// <summary>Starts the app if it is not running yet (settings from <see cref="CutoverAppFactory.With"/> apply).</summary>
    public KestrelCutoverFactory Started()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.TrimEnd('/') + "/");
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
