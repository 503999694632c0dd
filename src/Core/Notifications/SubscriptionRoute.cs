using System.Collections.Frozen;

namespace Cutover.Core.Notifications;

/// <summary>What the outbox needs of a subscription: who it is and which events it wants.</summary>
public sealed record SubscriptionRoute(Guid Id, string Name, FrozenSet<string> Events);
