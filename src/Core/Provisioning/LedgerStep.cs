namespace Cutover.Core.Provisioning;

/// <summary>Where one agent of a run stands: Pending (nothing created), Created (agent and deployment exist), Woken
/// (its process registered Ready), Failed (with the error), TornDown (stopped and soft-deleted, or never created).</summary>
public enum LedgerStep
{
    Pending,
    Created,
    Woken,
    Failed,
    TornDown,
}
