namespace Cutover.Dashboard.Routing;

public sealed class UrlSafetyOptions
{
    public const string Section = "Cutover:Routing:UrlSafety";

    /// <summary>Refuse link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10). On by default.</summary>
    public bool BlockLinkLocal { get; set; } = true;

    /// <summary>
    /// When not empty, only these hosts (exact names, or IP/CIDR ranges like <c>10.0.0.0/8</c>) may be registered:
    /// a stricter site's allow-list.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
