using System.Text;
using Cutover.Core.Domain;
using Cutover.Core.Status;
using Cutover.Dashboard.ScaleOut;

namespace Cutover.Tests.Unit.ScaleOut;

/// <summary>NOTIFY refuses payloads of 8,000 bytes or more: a commit's changes go in as many messages as they need.</summary>
public sealed class RelayMessageTests
{
    private static readonly Guid Node = Guid.NewGuid();
    private static readonly AgentLiveState State = new(Guid.NewGuid(), "relay", HealthStatus.Unknown, SyncStatus.Synced, null, 400);

    [Fact]
    public void SmallCommit_OneMessage_WithEveryChange()
    {
        var changes = Changes(3, reasonLength: 20);

        var payloads = RelayMessage.Payloads(Node, State, changes).ToList();

        var message = RelayMessage.Parse(Assert.Single(payloads))!;
        Assert.Equal(Node, message.Node);
        Assert.Equal(State, message.State);
        Assert.Equal(changes, message.Changes);
    }

    [Fact]
    public void LargeCommit_SplitUnderTheLimit_InOrder_NothingLostOrRepeated()
    {
        // A restart sweep of an agent with 400 deployments, each reason at its stored maximum.
        var changes = Changes(400, TimelineEvent.ReasonMaxLength);

        var payloads = RelayMessage.Payloads(Node, State, changes).ToList();

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"{Encoding.UTF8.GetByteCount(p)} bytes"));
        var relayed = payloads.Select(p => RelayMessage.Parse(p)!).ToList();
        Assert.All(relayed, m => Assert.Equal(State, m.State));
        Assert.Equal(changes, relayed.SelectMany(m => m.Changes).ToList());
    }

    /// <summary>The largest change the chokepoint can write: every text at its stored maximum, in 3-byte characters.</summary>
    [Fact]
    public void LargestPossibleChange_FitsOneMessage()
    {
        string Text(int length) => new('漢', length);
        var change = new StatusChange(State.AgentId, Guid.NewGuid(), StatusField.AcpUrl, Text(TimelineEvent.ValueMaxLength), Text(TimelineEvent.ValueMaxLength),
            1, DateTime.UtcNow, EventKind.Registered, Text(TimelineEvent.ActorMaxLength), Text(TimelineEvent.ReasonMaxLength));

        var payload = Assert.Single(RelayMessage.Payloads(Node, State, [change]));

        Assert.True(Encoding.UTF8.GetByteCount(payload) < 8_000, $"{Encoding.UTF8.GetByteCount(payload)} bytes");
        Assert.Equal(change, RelayMessage.Parse(payload)!.Changes.Single());
    }

    [Fact]
    public void Parse_NotAMessage_IsNull() => Assert.Null(RelayMessage.Parse("{\"node\":"));

    private static List<StatusChange> Changes(int count, int reasonLength) =>
        Enumerable.Range(1, count).Select(i => new StatusChange(State.AgentId, Guid.NewGuid(), StatusField.DeploymentHealth, "Healthy", "Unknown",
            i, new DateTime(2026, 12, 4, 1, 0, 0, DateTimeKind.Utc), EventKind.HealthChanged, "system:startup", new string('é', reasonLength))).ToList();
}
