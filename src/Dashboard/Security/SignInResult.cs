using System.Security.Claims;

namespace Cutover.Dashboard.Security;

/// <summary>The outcome of a password sign-in: a principal to put in the cookie, or a message for the person.</summary>
public sealed record SignInResult(ClaimsPrincipal? Principal, string? Error)
{
    public bool Succeeded => Principal is not null;

    public static SignInResult Success(ClaimsPrincipal principal) => new(principal, null);

    public static SignInResult Failed(string error) => new(null, error);
}
