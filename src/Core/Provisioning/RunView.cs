namespace Cutover.Core.Provisioning;

/// <summary>
/// A run as the API and the page show it (API.md <c>Run</c>). A dry run's plan has the same shape, with no id,
/// status <see cref="RunStatus.Planned"/> and every row Pending. <see cref="Sequence"/> is the run's version: the
/// last <see cref="RunChange.Sequence"/> this view includes.
/// </summary>
public sealed record RunView(
    Guid? Id,
    string Name,
    RunStatus Status,
    OnFailure OnFailure,
    int MaxConcurrent,
    bool DryRun,
    DateTime? CreatedAt,
    DateTime? EndedAt,
    string? Error,
    IReadOnlyList<LedgerRow> Ledger,
    long Sequence = 0)
{
    public static RunView From(ProvisioningRun r, IEnumerable<LedgerEntry> ledger) =>
        new(r.Id, r.Name, r.Status, r.OnFailure, r.MaxConcurrent, false, r.CreatedAt, r.EndedAt, r.Error,
            ledger.OrderBy(e => e.Position).Select(LedgerRow.From).ToList(), r.Version);

    public static RunView Plan(ProvisioningSpec spec) =>
        new(null, spec.Name, RunStatus.Planned, spec.OnFailure, spec.MaxConcurrent, true, null, null, null,
            spec.Agents.Select(a => new LedgerRow(null, a.Name, a.Image.Value, null, null, LedgerStep.Pending, null, null)).ToList());
}
