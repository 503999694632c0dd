namespace Cutover.Core.Domain;

public enum HealthStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}
