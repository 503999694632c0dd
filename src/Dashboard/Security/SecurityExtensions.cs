using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Cutover.Dashboard.Security;

public static class SecurityExtensions
{
    public const string SmartScheme = "Cutover";

    /// <summary>
    /// Cookie sign-in for people, bearer tokens for scripts and agents; deny by default: the fallback policy
    /// requires an authenticated user, and the few anonymous endpoints say so explicitly.
    /// </summary>
    public static WebApplicationBuilder AddCutoverSecurity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Bearer token or cookie", o =>
                o.ForwardDefaultSelector = ctx => BearerTokenHandler.ReadToken(ctx.Request) is not null
                    ? BearerTokenHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "cutover.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // APIs answer 401/403; only page navigations are redirected to the sign-in form.
                o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireRole(nameof(Core.Domain.Role.Viewer)))
            .AddPolicy(Policies.Operator, p => p.RequireRole(nameof(Core.Domain.Role.Operator)))
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(Core.Domain.Role.Admin)))
            .AddPolicy(Policies.AgentOrOperator, p => p.RequireAssertion(ctx =>
                ctx.User.IsAgentToken() || ctx.User.IsInRole(nameof(Core.Domain.Role.Operator))))
            .AddPolicy(Policies.Agent, p => p.RequireClaim(CutoverClaims.AgentName));

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHostedService<BootstrapToken>();
        return builder;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/healthz"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
