namespace Cutover.Core.Notifications;

/// <summary>An agent, source or run as a payload names it.</summary>
public sealed record NamedRef(Guid Id, string Name);
