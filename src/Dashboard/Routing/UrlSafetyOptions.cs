namespace Cutover.Dashboard.Routing;

public sealed class UrlSafetyOptions
{
    public const string Section = "Cutover:Routing:UrlSafety";

    /// <summary>
    /// Refuse link-local and cloud metadata addresses and host names (169.254.0.0/16, fe80::/10,
    /// metadata.google.internal, fd00:ec2::254, ...). On by default.
    /// </summary>
    public bool BlockLinkLocal { get; set; } = true;

    /// <summary>
    /// Refuse loopback addresses (127.0.0.0/8, ::1, localhost). Off by default because local runtimes and sample
    /// agents listen on loopback; a site where agents never share the control plane's host should turn it on.
    /// </summary>
    public bool BlockLoopback { get; set; }

    /// <summary>
    /// When not empty, only these hosts may be registered and connected to: a stricter site's allow-list. Entries
    /// are exact host names (<c>agents.internal</c>), wildcard sub-domains (<c>*.agents.internal</c>, which does
    /// not match <c>agents.internal</c> itself), IP addresses, or CIDR ranges (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).
    /// A URL with a host name must match a name entry; a URL with an IP address must match an address or range.
    /// The allow-list only narrows: it never re-admits an address refused above.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
