using System.Net;
using Cutover.Dashboard.Routing;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Routing;

public sealed class UrlSafetyTests
{
    [Theory]
    [InlineData("http://agent.internal:8080/rpc")]
    [InlineData("https://agents.example.com/a2a")]
    [InlineData("http://10.1.2.3:9000/")]
    [InlineData("http://127.0.0.1:5000/rpc")]
    [InlineData("http://localhost:5000/rpc")]
    [InlineData("http://[::1]:5000/rpc")]
    [InlineData("http://[2001:db8::5]/rpc")]
    [InlineData("http://bücher.example/rpc")]
    public void Check_OrdinaryAgentUrl_Accepted(string url) => Assert.Null(Safety().Check(url));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("  ", "required")]
    [InlineData("agent.internal/rpc", "absolute")]
    [InlineData("/rpc", "http or https")]
    [InlineData("ftp://agent.internal/rpc", "http or https")]
    [InlineData("file:///etc/passwd", "http or https")]
    [InlineData("gopher://agent.internal/", "http or https")]
    public void Check_NotAnHttpUrl_Refused(string? url, string reason) =>
        Assert.Contains(reason, Safety().Check(url), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("http://user:secret@agent.internal/rpc")]
    [InlineData("http://user@agent.internal/rpc")]
    [InlineData("http://agent.internal:@evil.example/rpc")]
    [InlineData("http://@agent.internal/rpc")]
    public void Check_CredentialsInUrl_Refused(string url) =>
        Assert.Contains("credentials", Safety().Check(url));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://169.254.169.254./latest/meta-data/")]
    [InlineData("http://169.254.0.1/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://0xa9fea9fe/")]
    [InlineData("http://0251.0376.0251.0376/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://[febf::1]/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[::169.254.169.254]/")]
    [InlineData("http://[64:ff9b::169.254.169.254]/")]
    [InlineData("http://[2002:a9fe:a9fe::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/latest/meta-data/")]
    [InlineData("http://192.0.0.192/")]
    public void Check_LinkLocalOrMetadataAddress_Refused(string url) =>
        Assert.Contains("link-local or cloud metadata", Safety().Check(url));

    [Theory]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://METADATA.Google.Internal./computeMetadata/v1/")]
    [InlineData("http://metadata/computeMetadata/v1/")]
    [InlineData("http://metadata.goog/")]
    [InlineData("http://instance-data.ec2.internal/latest/")]
    public void Check_MetadataHostName_Refused(string url) =>
        Assert.Contains("metadata host", Safety().Check(url));

    [Theory]
    [InlineData("http://0.0.0.0:8080/")]
    [InlineData("http://0/")]
    [InlineData("http://[::]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://[ff02::1]/")]
    public void Check_UnspecifiedOrMulticast_Refused(string url) =>
        Assert.Contains("unspecified, broadcast or multicast", Safety().Check(url));

    [Fact]
    public void Check_LinkLocalWithBlockingOff_Accepted() =>
        Assert.Null(Safety(new UrlSafetyOptions { BlockLinkLocal = false }).Check("http://169.254.10.10/rpc"));

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.8.8.8/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://localhost/")]
    [InlineData("http://agent.localhost/")]
    public void Check_LoopbackWhenBlocked_Refused(string url) =>
        Assert.Contains("loopback", Safety(new UrlSafetyOptions { BlockLoopback = true }).Check(url));

    [Theory]
    [InlineData("http://agent.internal/rpc", true)]
    [InlineData("http://AGENT.internal./rpc", true)]
    [InlineData("http://a.pods.internal/rpc", true)]
    [InlineData("http://b.a.pods.internal/rpc", true)]
    [InlineData("http://pods.internal/rpc", false)]
    [InlineData("http://evilpods.internal/rpc", false)]
    [InlineData("http://other.internal/rpc", false)]
    [InlineData("http://10.20.30.40/rpc", true)]
    [InlineData("http://11.0.0.1/rpc", false)]
    [InlineData("http://[::ffff:10.9.9.9]/rpc", true)]
    [InlineData("http://192.168.1.7/rpc", true)]
    [InlineData("http://192.168.1.8/rpc", false)]
    [InlineData("http://[fd12::7]/rpc", true)]
    [InlineData("http://[fe12::7]/rpc", false)]
    public void Check_AllowList_OnlyListedHostsAndRanges(string url, bool accepted)
    {
        var safety = Safety(new UrlSafetyOptions
        {
            AllowedHosts = ["agent.internal", "*.pods.internal", "10.0.0.0/8", "192.168.1.7", "fd00::/8", "not-a-cidr/99"],
        });

        var refusal = safety.Check(url);

        if (accepted) Assert.Null(refusal);
        else Assert.Contains("allow-list", refusal);
    }

    [Fact]
    public void Check_AllowListedLinkLocalRange_StillRefused()
    {
        var safety = Safety(new UrlSafetyOptions { AllowedHosts = ["169.254.0.0/16"] });
        Assert.Contains("link-local", safety.Check("http://169.254.169.254/"));
    }

    [Theory]
    [InlineData("agent.internal", "10.0.0.5", null)]
    [InlineData("rebind.example", "169.254.169.254", "link-local")]
    [InlineData("rebind.example", "::ffff:169.254.169.254", "link-local")]
    [InlineData("rebind.example", "fe80::1", "link-local")]
    [InlineData("rebind.example", "0.0.0.0", "unspecified")]
    [InlineData("metadata.google.internal", "10.0.0.5", "metadata host")]
    public void CheckAddress_ResolvedAddress_JudgedLikeALiteral(string host, string address, string? reason)
    {
        var refusal = Safety().CheckAddress(host, IPAddress.Parse(address));

        if (reason is null) Assert.Null(refusal);
        else Assert.Contains(reason, refusal);
    }

    [Fact]
    public void CheckAddress_NameHostWithAllowList_MatchesTheNameNotTheAddress()
    {
        var safety = Safety(new UrlSafetyOptions { AllowedHosts = ["agent.internal"] });

        Assert.Null(safety.CheckAddress("agent.internal", IPAddress.Parse("10.0.0.5")));
        Assert.Contains("allow-list", safety.CheckAddress("other.internal", IPAddress.Parse("10.0.0.5")));
    }

    private static UrlSafety Safety(UrlSafetyOptions? options = null) => new(new FixedOptions(options ?? new UrlSafetyOptions()));

    private sealed class FixedOptions(UrlSafetyOptions value) : IOptionsMonitor<UrlSafetyOptions>
    {
        public UrlSafetyOptions CurrentValue => value;

        public UrlSafetyOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<UrlSafetyOptions, string?> listener) => null;
    }
}
