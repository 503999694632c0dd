using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// The URL child agents use to reach this dashboard: configured, or the server's own http address with a wildcard
/// host turned into loopback. Null while the server is not listening (or is an in-memory test server).
/// </summary>
public sealed class ControlPlaneAddress(IServer server, IOptionsMonitor<LocalRuntimeOptions> options)
{
    public string? Resolve()
    {
        if (options.CurrentValue.ControlPlaneUrl is { Length: > 0 } configured) return configured.TrimEnd('/') + "/";

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var http = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault();
        if (http is null || !Uri.TryCreate(http.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri))
            return null;

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.ToString();
    }
}
