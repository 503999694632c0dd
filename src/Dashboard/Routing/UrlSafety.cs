using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Decides whether an agent URL may be registered: the control plane will send requests there, so a URL must not
/// aim it at cloud metadata endpoints or other places a caller could not reach themselves.
/// </summary>
public sealed class UrlSafety(IOptionsMonitor<UrlSafetyOptions> options)
{
    /// <summary>Returns null when the URL is acceptable, else the reason it is refused.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "acpUrl is required.";
        if (url.Length > Core.Domain.Agent.UrlMaxLength) return $"acpUrl must be at most {Core.Domain.Agent.UrlMaxLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "acpUrl must be an absolute URL.";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return "acpUrl must use http or https.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "acpUrl must not contain credentials.";

        var o = options.CurrentValue;
        var host = uri.IdnHost.Trim('[', ']');
        IPAddress.TryParse(host, out var ip);
        if (ip is not null && ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();

        if (o.BlockLinkLocal && ip is not null && IsLinkLocal(ip))
            return "acpUrl points at a link-local or cloud metadata address, which is refused.";
        if (o.BlockLinkLocal && host.Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase))
            return "acpUrl points at a cloud metadata host, which is refused.";

        if (o.AllowedHosts.Count > 0 && !o.AllowedHosts.Any(a => Matches(a, host, ip)))
            return $"acpUrl host '{host}' is not in this site's allow-list.";
        return null;
    }

    private static bool IsLinkLocal(IPAddress ip) => ip.AddressFamily switch
    {
        AddressFamily.InterNetwork => ip.GetAddressBytes() is [169, 254, ..],
        AddressFamily.InterNetworkV6 => ip.IsIPv6LinkLocal,
        _ => false,
    };

    private static bool Matches(string allowed, string host, IPAddress? ip)
    {
        if (allowed.Contains('/') && ip is not null && IPNetwork.TryParse(allowed, out var network)) return network.Contains(ip);
        return string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase);
    }
}
