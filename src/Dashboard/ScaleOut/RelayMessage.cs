using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cutover.Core.Status;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// What one NOTIFY carries: the sending node, the agent's state after the commit, and some or all of the commit's
/// changes. NOTIFY refuses payloads of 8,000 bytes or more, so a commit with many changes (a restart sweep of an
/// agent with many deployments) goes as several messages in the same transaction, each under the limit; one change
/// is at most about 7 KB (values and reasons are clipped when written, and the text goes as UTF-8).
/// </summary>
public sealed record RelayMessage(Guid Node, AgentLiveState State, IReadOnlyList<StatusChange> Changes)
{
    public const int MaxPayloadBytes = 7_900;

    // Text as UTF-8, not \uXXXX escapes (six bytes a character): a change's values and reason, clipped when stored
    // (TimelineEvent), then always fit one message. Only ever parsed by the other nodes, never put in a page.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<string> Payloads(Guid node, AgentLiveState state, IReadOnlyList<StatusChange> changes) =>
        Split(changes, part => Serialize(new RelayMessage(node, state, part)));

    /// <summary>
    /// As many payloads as <paramref name="items"/> need, each under <see cref="MaxPayloadBytes"/> and in order; one
    /// item always fits (what the chokepoint stores is clipped).
    /// </summary>
    internal static IEnumerable<string> Split<T>(IReadOnlyList<T> items, Func<IReadOnlyList<T>, string> serialize)
    {
        var whole = serialize(items);
        if (Encoding.UTF8.GetByteCount(whole) <= MaxPayloadBytes)
        {
            yield return whole;
            yield break;
        }

        var part = new List<T>();
        string? fits = null;
        foreach (var item in items)
        {
            part.Add(item);
            var candidate = serialize(part);
            if (Encoding.UTF8.GetByteCount(candidate) <= MaxPayloadBytes || part.Count == 1)
            {
                fits = candidate;
                continue;
            }

            yield return fits!;
            part = [item];
            fits = serialize(part);
        }

        if (fits is not null) yield return fits;
    }

    public static RelayMessage? Parse(string payload) => Deserialize<RelayMessage>(payload);

    internal static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Json);

    internal static T? Deserialize<T>(string payload) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
