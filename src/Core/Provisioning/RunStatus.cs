namespace Cutover.Core.Provisioning;

/// <summary>A provisioning run's status (API.md "Provisioning runs"). <see cref="Planned"/> is only a dry run's.</summary>
public enum RunStatus
{
    Planned,
    Running,
    Succeeded,
    Failed,
    TearingDown,
    TornDown,
    Interrupted,
}
