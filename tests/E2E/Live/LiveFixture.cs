using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Live;

/// <summary>The browser fixture with active probes off, so only the test's own reports change health.</summary>
public sealed class LiveFixture : BrowserFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cutover:Health:ProbesEnabled"] = "false",
    };
}
