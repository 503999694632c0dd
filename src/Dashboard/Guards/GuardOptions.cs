namespace Cutover.Dashboard.Guards;

/// <summary><c>Cutover:Guards</c>: how often each node reports its guarded traffic and the guard holder decides.</summary>
public sealed class GuardOptions
{
    public const string Section = "Cutover:Guards";

    /// <summary>One round: report this node's counts, then (on the node holding the job) judge every watching guard.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
