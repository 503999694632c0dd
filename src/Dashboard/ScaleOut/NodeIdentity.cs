namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// This process among the nodes sharing one database: a name for people (<c>Cutover:Node:Name</c>, else host and
/// process id) and an id that is new at every start, so a node never mistakes its own relayed changes for another's.
/// </summary>
public sealed class NodeIdentity(IConfiguration configuration)
{
    public const string NameKey = "Cutover:Node:Name";

    public string Name { get; } = configuration[NameKey] is { Length: > 0 } name ? name : $"{Environment.MachineName}:{Environment.ProcessId}";

    public Guid Id { get; } = Guid.NewGuid();
}
