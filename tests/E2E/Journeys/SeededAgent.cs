namespace Cutover.Tests.E2E.Journeys;

/// <summary>An agent a journey registered over HTTP, and its deployments in registration order (the first is production).</summary>
public sealed record SeededAgent(Guid Id, string Name, IReadOnlyList<SeededDeployment> Deployments);
