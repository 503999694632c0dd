using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Security;

/// <summary>Sign-out. A cookie can only be cleared by an HTTP response, so it is a form POST (with antiforgery), not a circuit call.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapCutoverAccount(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/logout", SignOutAsync)
            .RequireAuthorization(Policies.Viewer) // people only: an agent token has nothing to sign out of
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        return endpoints;
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(
        HttpContext context, ClaimsPrincipal user, UserAccounts users, ILoggerFactory logs)
    {
        // The antiforgery middleware (told by the metadata above) only records its verdict; an endpoint that binds no
        // form must act on it itself. Without this, any site could sign a person out with a cross-site form post.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return TypedResults.Problem(title: "Invalid request", detail: "The sign-out form is missing its antiforgery token.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        // On the server too: a copy of this cookie replayed later must not sign anyone in.
        if (Guid.TryParse(user.FindFirst(CutoverClaims.UserId)?.Value, out var userId))
            await users.EndSessionsAsync(userId, context.RequestAborted);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        logs.CreateLogger(typeof(AccountEndpoints)).LogInformation("{Actor} signed out", user.Actor());
        return TypedResults.Redirect("/login");
    }
}
