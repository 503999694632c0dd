namespace Cutover.Dashboard.Components.Agents;

/// <summary>The timeline's kind filter: what a person looks for, not one chip per event kind.</summary>
public enum TimelineKind
{
    All,
    Deployments,
    Production,
    Health,
    Sync,
}
