using System.Net;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Live;

/// <summary>The app on a real Kestrel socket (127.0.0.1, a free port), for real WebSocket clients.</summary>
public sealed class KestrelAppFactory : CutoverAppFactory
{
    private Uri? _address;

    public KestrelAppFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>The http:// address the server listens on (starts it on first use).</summary>
    public Uri Address
    {
        get
        {
            if (_address is not null) return _address;
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            _address = new Uri(addresses.Single());
            return _address;
        }
    }
}
