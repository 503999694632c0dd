using Cutover.Core.Provisioning;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>What one NOTIFY on the runs channel carries: the sending node and some or all of a commit's run changes.</summary>
public sealed record RunRelayMessage(Guid Node, IReadOnlyList<RunChange> Changes)
{
    public static IEnumerable<string> Payloads(Guid node, IReadOnlyList<RunChange> changes) =>
        RelayMessage.Split(changes, part => RelayMessage.Serialize(new RunRelayMessage(node, part)));

    public static RunRelayMessage? Parse(string payload) => RelayMessage.Deserialize<RunRelayMessage>(payload);
}
