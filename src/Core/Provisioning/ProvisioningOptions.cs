namespace Cutover.Core.Provisioning;

public sealed class ProvisioningOptions
{
    public const string Section = "Cutover:Provisioning";

    /// <summary>
    /// How long one agent's wake may take in all (start plus registration). The deploy's own ready timeout
    /// (<c>Cutover:Runtime:ReadyTimeout</c>) normally decides first; this bounds a wake whose start itself hangs.
    /// </summary>
    public TimeSpan WakeTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
