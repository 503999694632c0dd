namespace Cutover.Tests.Unit.Metrics;

/// <summary>Tests that need the only live Cutover app in the test process (xunit runs the collection alone).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}
