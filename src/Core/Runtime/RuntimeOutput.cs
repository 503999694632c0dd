namespace Cutover.Core.Runtime;

/// <summary>The recent output of a deployment process. <see cref="Total"/> counts every line ever written, so a
/// reader can tell whether anything changed since it last looked.</summary>
public sealed record RuntimeOutput(IReadOnlyList<string> Lines, long Total)
{
    public static readonly RuntimeOutput Empty = new([], 0);
}
