using Cutover.Core.Domain;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class StatusPill
{
    private BadgeStyle _style;
    private string _kind = "";
    private string _prefix = "";
    private string _text = "";
    private string _value = "";

    [Parameter]
    public HealthStatus? Health { get; set; }

    [Parameter]
    public SyncStatus? Sync { get; set; }

    [Parameter]
    public DeploymentStatus? Deployment { get; set; }

    /// <summary>Shows "Health"/"Sync" in the pill where no column header says it.</summary>
    [Parameter]
    public bool ShowLabel { get; set; }

    protected override void OnParametersSet()
    {
        if (Health is { } h)
        {
            (_style, _) = StatusTone.Of(h);
            (_kind, _prefix, _text, _value) = ("health", "Health", h.ToString(), h.ToString());
        }
        else if (Sync is { } s)
        {
            (_style, _) = StatusTone.Of(s);
            (_kind, _prefix, _text, _value) = ("sync", "Sync", StatusTone.Label(s), s.ToString());
        }
        else if (Deployment is { } d)
        {
            (_style, _) = StatusTone.Of(d);
            (_kind, _prefix, _text, _value) = ("deployment", "Status", d.ToString(), d.ToString());
        }
        else
        {
            throw new InvalidOperationException($"{nameof(StatusPill)} needs one of Health, Sync or Deployment.");
        }
    }
}
