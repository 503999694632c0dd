namespace Cutover.Core.Sources;

/// <summary>
/// Tells the Sources page that a source changed (created, deleted, or a step of its sync's bookkeeping written), so
/// it re-reads instead of polling. Raised only after the change is saved.
/// </summary>
public sealed class SourceNotifier
{
    public event Action<Guid>? Changed;

    public void Notify(Guid sourceId) => Changed?.Invoke(sourceId);
}
