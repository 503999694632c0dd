using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class AgentTools
{
    private int _tab;
    private Guid _tryTarget; // Guid.Empty: production (a drop-down cannot select a null value)
    private Guid _logTarget;

    [Parameter, EditorRequired]
    public Guid AgentId { get; set; }

    [Parameter, EditorRequired]
    public IReadOnlyList<DeploymentRow> Deployments { get; set; } = [];

    /// <summary>Production (whatever production is when the request is sent), then each Ready deployment as a preview.</summary>
    private List<Target> TryTargets =>
    [
        new(Guid.Empty, "Production"),
        .. Deployments.Where(d => d.Status == DeploymentStatus.Ready && d.ExpiresAt is null)
            .Select(d => new Target(d.Id, $"Preview {Label(d)}{(d.IsProduction ? " (production)" : "")}")),
    ];

    private List<LogTarget> LogTargets => Deployments.Where(d => d.ExpiresAt is null).Select(d => new LogTarget(d.Id, Label(d))).ToList();

    protected override void OnParametersSet()
    {
        if (_logTarget == Guid.Empty || Deployments.All(d => d.Id != _logTarget))
            _logTarget = Deployments.FirstOrDefault(d => d.IsProduction)?.Id ?? Deployments.FirstOrDefault()?.Id ?? Guid.Empty;
        if (_tryTarget != Guid.Empty && Deployments.All(d => d.Id != _tryTarget)) _tryTarget = Guid.Empty;
    }

    private static string Label(DeploymentRow d) => $"{d.Image} · {d.ShortId}";

    private sealed record Target(Guid Id, string Text);

    private sealed record LogTarget(Guid Id, string Text);
}
