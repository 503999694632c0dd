namespace Cutover.Core.Provisioning;

/// <summary>What a run does when one of its agents fails: tear down everything it created (default) or keep it.</summary>
public enum OnFailure
{
    Teardown,
    Keep,
}
