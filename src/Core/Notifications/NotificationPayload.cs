using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Status;

namespace Cutover.Core.Notifications;

/// <summary>
/// The JSON body a receiver gets, serialized once when the row is written (every retry sends these bytes):
/// <c>{ id, event, text, agent?: { id, name }, deploymentId?, image?, source?, run?, at, actor, reason?, from?, to? }</c>.
/// <c>text</c> is one line a person reads, in Slack's format (a Slack incoming webhook accepts the body as it is).
/// </summary>
public sealed record NotificationPayload(
    Guid Id,
    string Event,
    string Text,
    NamedRef? Agent,
    Guid? DeploymentId,
    string? Image,
    NamedRef? Source,
    NamedRef? Run,
    DateTime At,
    string Actor,
    string? Reason,
    string? From,
    string? To)
{
    private const int ReasonInTextMax = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>An agent's change; the deployment's image comes from the transaction's tracked rows (no query).</summary>
    public static NotificationPayload ForAgent(Guid id, string @event, Agent agent, StatusChange change, CutoverDbContext db)
    {
        var deploymentId = change.DeploymentId ?? (@event == NotificationEvents.ProductionUnhealthy ? agent.ProductionDeploymentId : null);
        if (@event is (NotificationEvents.Promoted or NotificationEvents.RolledBack or NotificationEvents.AutoReverted) && change.DeploymentId is null
            && Guid.TryParse(change.To, out var target)) deploymentId = target;
        var image = deploymentId is { } d ? db.Deployments.Local.FirstOrDefault(x => x.Id == d)?.DockerImage.Value : null;
        var what = Deployment(image, deploymentId);
        var text = @event switch
        {
            NotificationEvents.Promoted => $"{Bold(agent.Name)}: promoted {what} to production (by {Escape(change.Actor)})",
            NotificationEvents.RolledBack => $"{Bold(agent.Name)}: rolled production back to {what} (by {Escape(change.Actor)})",
            NotificationEvents.AutoReverted => $"{Bold(agent.Name)}: a guard reverted production to {what}",
            NotificationEvents.GuardBreached => $"{Bold(agent.Name)}: a guard found production ({what}) failing and nothing safe to revert to",
            NotificationEvents.ProductionUnhealthy => $"{Bold(agent.Name)}: production ({what}) is Unhealthy (was {Escape(change.From)})",
            NotificationEvents.DeployFailed => $"{Bold(agent.Name)}: deploy of {what} failed",
            NotificationEvents.SyncFailed => $"{Bold(agent.Name)}: out of sync",
            _ => $"{Bold(agent.Name)}: {Escape(@event)}",
        };
        return new NotificationPayload(id, @event, WithReason(text, change.Reason), new NamedRef(agent.Id, agent.Name), deploymentId, image,
            null, null, change.At, change.Actor, change.Reason, change.From, change.To);
    }

    public static NotificationPayload ForRun(Guid id, RunChange change, string runName, string actor) =>
        new(id, NotificationEvents.ProvisioningFailed, WithReason($"Provisioning run {Bold(runName)} failed", change.Error), null, null, null,
            null, new NamedRef(change.RunId, runName), change.At, actor, change.Error, null, change.Status.ToString());

    public static NotificationPayload ForSource(Guid id, Guid sourceId, string sourceName, string error, string actor, DateTime at) =>
        new(id, NotificationEvents.SyncFailed, WithReason($"Source {Bold(sourceName)}: sync failed", error), null, null, null,
            new NamedRef(sourceId, sourceName), null, at, actor, error, null, "Failed");

    public static NotificationPayload ForTest(Guid id, string subscriptionName, string actor, DateTime at) =>
        new(id, NotificationEvents.Test, $"Test notification from Cutover for {Bold(subscriptionName)} (sent by {Escape(actor)})",
            null, null, null, null, null, at, actor, null, null, null);

    private static string Deployment(string? image, Guid? id)
    {
        var shortId = id is { } g ? g.ToString("N")[^8..] : null;
        return (image, shortId) switch
        {
            ({ } i, { } s) => $"{Escape(i)} ({s})",
            (null, { } s) => $"deployment {s}",
            _ => "the deployment",
        };
    }

    private static string WithReason(string text, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return text;
        var line = OneLine(reason);
        if (line.Length > ReasonInTextMax) line = line[..ReasonInTextMax] + "…";
        return $"{text}: {Escape(line)}";
    }

    private static string Bold(string name) => $"*{Escape(name)}*";

    private static string OneLine(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text) b.Append(char.IsControl(c) ? ' ' : c);
        return b.ToString().Trim();
    }

    /// <summary>Slack's three reserved characters (its docs: escape &amp;, &lt; and &gt;).</summary>
    private static string Escape(string? text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
