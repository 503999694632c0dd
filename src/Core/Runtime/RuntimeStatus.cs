namespace Cutover.Core.Runtime;

public enum RuntimeStatus
{
    /// <summary>This runtime never started the deployment (or forgot it).</summary>
    Unknown,
    Running,
    Exited,
}
