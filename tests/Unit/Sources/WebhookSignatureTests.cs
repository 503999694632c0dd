using System.Text;
using Cutover.Core.Sources;

namespace Cutover.Tests.Unit.Sources;

public sealed class WebhookSignatureTests
{
    // GitHub's published example ("Validating webhook deliveries").
    private const string GitHubSecret = "It's a Secret to Everybody";
    private const string GitHubPayload = "Hello, World!";
    private const string GitHubSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Sign_GitHubExample_MatchesTheirPublishedSignature() =>
        Assert.Equal(GitHubSignature, WebhookSignature.Sign(GitHubSecret, Encoding.UTF8.GetBytes(GitHubPayload)));

    [Fact]
    public void IsValid_GitHubExample_True() =>
        Assert.True(WebhookSignature.IsValid(GitHubSecret, Encoding.UTF8.GetBytes(GitHubPayload), GitHubSignature));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=857107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void IsValid_WrongOrMalformedSignature_False(string? header) =>
        Assert.False(WebhookSignature.IsValid(GitHubSecret, Encoding.UTF8.GetBytes(GitHubPayload), header));

    [Fact]
    public void IsValid_OtherSecretOrBody_False()
    {
        Assert.False(WebhookSignature.IsValid("another secret", Encoding.UTF8.GetBytes(GitHubPayload), GitHubSignature));
        Assert.False(WebhookSignature.IsValid(GitHubSecret, Encoding.UTF8.GetBytes(GitHubPayload + " "), GitHubSignature));
    }
}
