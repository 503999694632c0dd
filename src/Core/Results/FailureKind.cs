namespace Cutover.Core.Results;

/// <summary>Expected failures; the HTTP edge maps them to 404, 409, 410 and 400.</summary>
public enum FailureKind
{
    NotFound,
    Conflict,
    Gone,
    Invalid,
    Unavailable,
}
