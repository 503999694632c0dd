using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Live;

/// <summary>
/// The browser fixture with active probes off, so only the test's own reports change health, and "last seen"
/// stamped by every report at least a second apart (instead of every 10 s), so a test can watch a second stamp arrive.
/// </summary>
public sealed class LiveFixture : BrowserFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cutover:Health:ProbesEnabled"] = "false",
        ["Cutover:Health:LastSeenThrottle"] = "00:00:01",
    };
}
