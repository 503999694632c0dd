namespace Cutover.Core.Domain;

public enum DeploymentStatus
{
    Pending,
    Ready,
    Failed,

    /// <summary>Its process was stopped on purpose (by a person, or idle): not routable until it is started again.</summary>
    Stopped,
}
