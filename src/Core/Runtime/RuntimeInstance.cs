namespace Cutover.Core.Runtime;

/// <summary>A started deployment process. <see cref="Exited"/> completes when it ends, for whatever reason.</summary>
public sealed record RuntimeInstance(Guid DeploymentId, int ProcessId, Task<RuntimeExit> Exited);
