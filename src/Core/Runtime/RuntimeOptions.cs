namespace Cutover.Core.Runtime;

public sealed class RuntimeOptions
{
    public const string Section = "Cutover:Runtime";

    /// <summary>How long a started deployment may take to register before it is marked Failed and stopped.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
