using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Status;

namespace Cutover.Core.Notifications;

/// <summary>
/// The outbox writer behind <see cref="IChangeOutbox"/>: one row per raised event and subscription that wants it,
/// body serialized now. Changes that raise no event return at once, before the subscription list is even looked at.
/// </summary>
public sealed class ChangeOutbox(NotificationSubscriptions subscriptions) : IChangeOutbox
{
    public Task EnqueueAsync(CutoverDbContext db, Agent agent, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken)
    {
        List<(string Event, StatusChange Change)>? raised = null;
        for (var i = 0; i < changes.Count; i++)
        {
            if (NotificationEvents.Of(changes[i]) is not { } e) continue;
            // One notification per event and deployment per change (a revert may record more than one row).
            if (raised?.Exists(r => r.Event == e && r.Change.DeploymentId == changes[i].DeploymentId) == true) continue;
            (raised ??= []).Add((e, changes[i]));
        }

        return raised is null ? Task.CompletedTask : WriteAsync(db, raised, (id, r) => NotificationPayload.ForAgent(id, r.Event, agent, r.Change, db),
            r => r.Event, cancellationToken);
    }

    public Task EnqueueRunAsync(CutoverDbContext db, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken)
    {
        List<RunChange>? raised = null;
        for (var i = 0; i < changes.Count; i++)
        {
            if (NotificationEvents.Of(changes[i]) is not null) (raised ??= []).Add(changes[i]);
        }

        if (raised is null) return Task.CompletedTask;
        return WriteAsync(db, raised, (id, c) =>
        {
            var run = db.ProvisioningRuns.Local.FirstOrDefault(r => r.Id == c.RunId);
            return NotificationPayload.ForRun(id, c, run?.Name ?? c.RunId.ToString(), run?.CreatedBy ?? "provisioning");
        }, _ => NotificationEvents.ProvisioningFailed, cancellationToken);
    }

    public Task EnqueueSourceFailedAsync(CutoverDbContext db, Guid sourceId, string sourceName, string error, string actor, DateTime at,
        CancellationToken cancellationToken) =>
        WriteAsync(db, [sourceId], (id, _) => NotificationPayload.ForSource(id, sourceId, sourceName, error, actor, at),
            _ => NotificationEvents.SyncFailed, cancellationToken);

    private async Task WriteAsync<T>(CutoverDbContext db, IReadOnlyList<T> raised, Func<Guid, T, NotificationPayload> payload,
        Func<T, string> eventOf, CancellationToken cancellationToken)
    {
        var routes = await subscriptions.GetAsync(db, cancellationToken).ConfigureAwait(false);
        if (routes.Count == 0) return;
        var added = false;
        foreach (var r in raised)
        {
            var e = eventOf(r);
            foreach (var route in routes)
            {
                if (!route.Events.Contains(e)) continue;
                var id = Guid.CreateVersion7();
                var body = payload(id, r);
                db.Add(new NotificationDelivery(id, route.Id, e, body.Serialize(), body.At));
                added = true;
            }
        }

        if (added) await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
