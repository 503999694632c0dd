namespace Cutover.Core.Guards;

/// <summary>
/// A guard's verdict. <see cref="Breached"/> extends API.md: the limits were crossed but no deployment was safe to
/// revert to, so production was left as it is (and people are told).
/// </summary>
public enum GuardStatus
{
    Watching,
    Passed,
    Reverted,
    Aborted,
    Breached,
}
