using Cutover.Core.Domain;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// The one badge for every status on every page (agents overview, agent header, deployments table, System page), so
/// a status has the same colour, icon, words and accessible name wherever it appears. Set exactly one of
/// <see cref="Health"/>, <see cref="Sync"/>, <see cref="Deployment"/> or <see cref="Source"/>.
/// </summary>
public sealed partial class StatusBadge
{
    private Color _color;
    private string _tone = "";
    private string _icon = "";
    private string _kind = "";
    private string _label = "";
    private string _text = "";
    private string _value = "";
    private string _name = "";

    [Parameter]
    public HealthStatus? Health { get; set; }

    [Parameter]
    public SyncStatus? Sync { get; set; }

    [Parameter]
    public DeploymentStatus? Deployment { get; set; }

    /// <summary>A git source's last sync (Sources page).</summary>
    [Parameter]
    public Core.Sources.SourceStatus? Source { get; set; }

    /// <summary>Overrides the accessible name's prefix ("Health", "Sync", "Status"), e.g. "Deployment health".</summary>
    [Parameter]
    public string? Label { get; set; }

    /// <summary>Shows the label in the badge too, where no column header says what the status is.</summary>
    [Parameter]
    public bool ShowLabel { get; set; }

    protected override void OnParametersSet()
    {
        string defaultLabel;
        if (Health is { } h)
        {
            (_color, _icon) = StatusTone.Of(h);
            (_kind, defaultLabel, _text, _value) = ("health", "Health", h.ToString(), h.ToString());
        }
        else if (Sync is { } s)
        {
            (_color, _icon) = StatusTone.Of(s);
            (_kind, defaultLabel, _text, _value) = ("sync", "Sync", StatusTone.Label(s), s.ToString());
        }
        else if (Deployment is { } d)
        {
            (_color, _icon) = StatusTone.Of(d);
            (_kind, defaultLabel, _text, _value) = ("deployment", "Status", d.ToString(), d.ToString());
        }
        else if (Source is { } src)
        {
            (_color, _icon) = StatusTone.Of(src);
            (_kind, defaultLabel, _text, _value) = ("source", "Sync", src.ToString(), src.ToString());
        }
        else
        {
            throw new InvalidOperationException($"{nameof(StatusBadge)} needs one of Health, Sync, Deployment or Source.");
        }

        _tone = _color.ToString().ToLowerInvariant();
        _label = Label ?? defaultLabel;
        _name = $"{_label}: {_text}";
    }
}
