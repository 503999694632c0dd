using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Decides whether an agent URL may be registered, and whether an address it resolves to may be connected to:
/// the control plane sends requests there, so a URL must not aim it at cloud metadata endpoints or other places a
/// caller could not reach themselves. <see cref="Check"/> runs at registration; <see cref="CheckAddress"/> runs
/// when the forwarder opens a connection, so a host name that later resolves to a refused address (DNS
/// rebinding, <c>169.254.169.254.nip.io</c>) is refused too.
/// </summary>
public sealed class UrlSafety(IOptionsMonitor<UrlSafetyOptions> options)
{
    // Host names of cloud instance metadata services (GCP, AWS, Azure, Alibaba, Tencent, Oracle, OpenStack).
    private static readonly FrozenSet<string> MetadataHosts = new[]
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
        "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com", "metadata.oraclecloud.com",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Metadata services outside the link-local range: Alibaba, Oracle (legacy), AWS over IPv6.
    private static readonly FrozenSet<IPAddress> MetadataAddresses = new[]
    {
        IPAddress.Parse("100.100.100.200"), IPAddress.Parse("192.0.0.192"), IPAddress.Parse("fd00:ec2::254"),
    }.ToFrozenSet();

    /// <summary>Returns null when the URL is acceptable, else the reason it is refused.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "acpUrl is required.";
        if (url.Length > Core.Domain.Agent.UrlMaxLength) return $"acpUrl must be at most {Core.Domain.Agent.UrlMaxLength} characters.";
        // Uri parsing drops CR, LF and tabs silently; what is stored must be what was checked.
        if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return "acpUrl must not contain spaces or control characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "acpUrl must be an absolute URL.";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return "acpUrl must use http or https.";
        // An empty user part ("http://@host/") parses to no UserInfo but still hides the real host from a reader.
        if (!string.IsNullOrEmpty(uri.UserInfo) || Authority(url).Contains('@')) return "acpUrl must not contain credentials.";
        if (string.IsNullOrEmpty(uri.IdnHost)) return "acpUrl must name a host.";

        var host = NormalizeHost(uri.IdnHost);
        var ip = ParseAddress(host);
        return ip is not null ? Refuse(ip, host, isLiteral: true) : RefuseName(host);
    }

    /// <summary>
    /// Returns null when a connection to <paramref name="address"/> (which <paramref name="host"/> resolved to, or
    /// which is the host itself) is acceptable, else the reason it is refused.
    /// </summary>
    public string? CheckAddress(string host, IPAddress address)
    {
        var name = NormalizeHost(host);
        var literal = ParseAddress(name) is not null;
        if (!literal && RefuseName(name) is { } why) return why;
        return Refuse(Unwrap(address), name, literal);
    }

    private string? RefuseName(string host)
    {
        var o = options.CurrentValue;
        if (o.BlockLinkLocal && MetadataHosts.Contains(host)) return "acpUrl points at a cloud metadata host, which is refused.";
        if (o.BlockLoopback && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
            return "acpUrl points at a loopback host, which this site refuses.";
        if (o.AllowedHosts.Count > 0 && !o.AllowedHosts.Any(a => MatchesName(a, host)))
            return $"acpUrl host '{host}' is not in this site's allow-list.";
        return null;
    }

    private string? Refuse(IPAddress ip, string host, bool isLiteral)
    {
        ip = Unwrap(ip);
        var o = options.CurrentValue;
        if (IsUnspecifiedOrMulticast(ip)) return "acpUrl points at an unspecified, broadcast or multicast address, which is refused.";
        if (o.BlockLinkLocal && (IsLinkLocal(ip) || MetadataAddresses.Contains(ip)))
            return "acpUrl points at a link-local or cloud metadata address, which is refused.";
        if (o.BlockLoopback && IPAddress.IsLoopback(ip)) return "acpUrl points at a loopback address, which this site refuses.";
        if (isLiteral && o.AllowedHosts.Count > 0 && !o.AllowedHosts.Any(a => MatchesAddress(a, ip)))
            return $"acpUrl host '{host}' is not in this site's allow-list.";
        return null;
    }

    /// <summary>Lower case, no brackets, no IPv6 zone id, no trailing dot ("169.254.169.254." is the same host).</summary>
    internal static string NormalizeHost(string host)
    {
        var h = host.Trim('[', ']');
        var zone = h.IndexOf('%');
        if (zone >= 0 && h.Contains(':')) h = h[..zone];
        return h.TrimEnd('.').ToLowerInvariant();
    }

    private static IPAddress? ParseAddress(string host)
    {
        // IPAddress.TryParse also reads "2852039166" and "0xa9fea9fe" as IPv4, as resolvers do; only digits, hex,
        // dots and colons can form an address, so names like "cafe" are not mistaken for one.
        if (host.Length == 0 || host.Any(c => !(char.IsAsciiHexDigit(c) || c is '.' or ':' or 'x'))) return null;
        return IPAddress.TryParse(host, out var ip) ? Unwrap(ip) : null;
    }

    /// <summary>IPv6 forms that carry an IPv4 address are judged by that address.</summary>
    internal static IPAddress Unwrap(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip;
        if (ip.IsIPv4MappedToIPv6) return ip.MapToIPv4();
        var b = ip.GetAddressBytes();
        var v4 = new IPAddress(b.AsSpan(12, 4));
        // IPv4-compatible ::a.b.c.d (deprecated; ::1 and :: stay IPv6).
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && b.AsSpan(12, 3).IndexOfAnyExcept((byte)0) >= 0) return v4;
        // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
        if (b is [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..]) return v4;
        // 6to4 2002:AABB:CCDD::/48 (RFC 3056).
        if (b is [0x20, 0x02, ..]) return new IPAddress(b.AsSpan(2, 4));
        return ip;
    }

    private static bool IsLinkLocal(IPAddress ip) => ip.AddressFamily switch
    {
        AddressFamily.InterNetwork => ip.GetAddressBytes() is [169, 254, ..],
        AddressFamily.InterNetworkV6 => ip.IsIPv6LinkLocal,
        _ => true,
    };

    private static bool IsUnspecifiedOrMulticast(IPAddress ip) => ip.AddressFamily switch
    {
        // 0.0.0.0/8 reaches this host on Linux; 224.0.0.0/4 multicast; 240.0.0.0/4 reserved and broadcast.
        AddressFamily.InterNetwork => ip.GetAddressBytes() is [0, ..] or [>= 224, ..],
        AddressFamily.InterNetworkV6 => ip.Equals(IPAddress.IPv6Any) || ip.IsIPv6Multicast,
        _ => true,
    };

    private static bool MatchesName(string allowed, string host)
    {
        var entry = NormalizeHost(allowed.Trim());
        if (entry.StartsWith("*.", StringComparison.Ordinal)) return host.EndsWith(entry[1..], StringComparison.Ordinal) && host.Length > entry.Length - 1;
        return entry == host;
    }

    private static bool MatchesAddress(string allowed, IPAddress ip)
    {
        var entry = allowed.Trim();
        if (entry.Contains('/')) return IPNetwork.TryParse(entry, out var network) && Contains(network, ip);
        return IPAddress.TryParse(NormalizeHost(entry), out var single) && Unwrap(single).Equals(ip);
    }

    private static bool Contains(IPNetwork network, IPAddress ip) =>
        network.BaseAddress.AddressFamily == ip.AddressFamily && network.Contains(ip);

    private static string Authority(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return string.Empty;
        var rest = url.AsSpan(start + 3);
        var end = rest.IndexOfAny('/', '?', '#');
        return (end < 0 ? rest : rest[..end]).ToString();
    }
}
