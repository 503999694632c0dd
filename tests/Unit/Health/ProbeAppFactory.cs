using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Health;

/// <summary>The app with fast probes: every 200 ms, 500 ms timeout, Unhealthy after 2 failures.</summary>
public sealed class ProbeAppFactory : CutoverAppFactory
{
    public ProbeAppFactory()
    {
        With("Cutover:Health:ProbeInterval", "00:00:00.200");
        With("Cutover:Health:ProbeTimeout", "00:00:00.500");
        With("Cutover:Health:UnhealthyAfter", "2");
        With("Cutover:Health:LivenessWindow", "00:00:30");
    }
}
