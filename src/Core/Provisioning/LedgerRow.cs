namespace Cutover.Core.Provisioning;

/// <summary>A ledger row as the API and the page show it (API.md <c>Run.ledger[]</c>).</summary>
public sealed record LedgerRow(
    Guid? Id,
    string AgentName,
    string Image,
    Guid? AgentId,
    Guid? DeploymentId,
    LedgerStep Step,
    string? Error,
    DateTime? At)
{
    public static LedgerRow From(LedgerEntry e) => new(e.Id, e.AgentName, e.Image, e.AgentId, e.DeploymentId, e.Step, e.Error, e.At);
}
