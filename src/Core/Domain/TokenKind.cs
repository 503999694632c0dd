namespace Cutover.Core.Domain;

public enum TokenKind
{
    Personal,
    Agent,

    /// <summary>Bound to one source: may only call that source's sync (CI pipelines).</summary>
    Ci,
}
