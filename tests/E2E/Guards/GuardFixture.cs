using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Guards;

/// <summary>The browser fixture with health probes every 2 s (the guard benchmark's interval), so health follows quickly.</summary>
public sealed class GuardFixture : BrowserFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cutover:Health:ProbeInterval"] = "00:00:02",
    };
}
