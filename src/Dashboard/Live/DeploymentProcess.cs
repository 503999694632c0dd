using Cutover.Core.Runtime;

namespace Cutover.Dashboard.Live;

/// <summary>A deployment's process as the runtime sees it: its captured output and whether it runs.</summary>
public sealed record DeploymentProcess(RuntimeOutput Output, RuntimeState State);
