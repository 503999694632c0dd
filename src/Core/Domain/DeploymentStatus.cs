namespace Cutover.Core.Domain;

public enum DeploymentStatus
{
    Pending,
    Ready,
    Failed,
}
