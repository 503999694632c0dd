namespace Cutover.Dashboard.Components.Agents;

/// <summary>What a confirmation dialog closes with when the person confirmed; Cancel closes with null.</summary>
public sealed record ConfirmedAction(string? Reason);
