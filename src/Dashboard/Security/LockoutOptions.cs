namespace Cutover.Dashboard.Security;

/// <summary><c>Cutover:Auth:Lockout</c>: how many wrong passwords in a row lock an account, and for how long.</summary>
public sealed class LockoutOptions
{
    public const string Section = "Cutover:Auth:Lockout";

    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
