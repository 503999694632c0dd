namespace Cutover.Core.Deployments;

public sealed class DeploymentOptions
{
    public const string Section = "Cutover:Deployments";

    /// <summary>How long a soft-deleted deployment is kept before the retention job purges it.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention job looks for expired deployments.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
