using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Security;

public static class SecurityExtensions
{
    /// <summary><c>Cutover:DataProtection:KeysPath</c>: where the cookie-protecting keys live (default: next to the SQLite file).</summary>
    public const string KeysPathKey = "Cutover:DataProtection:KeysPath";

    /// <summary>
    /// Cookie sign-in for people, bearer tokens for scripts and agents; deny by default: the fallback policy
    /// requires an authenticated user, and the few anonymous endpoints say so explicitly.
    /// </summary>
    public static WebApplicationBuilder AddCutoverSecurity(this WebApplicationBuilder builder)
    {
        // The bearer scheme is the default and hands a request without a token to the cookie scheme: one handler
        // per bearer call, not a policy scheme in front of it forwarding every call a second time. Signing in and
        // out is always the cookie's.
        builder.Services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = BearerTokenHandler.SchemeName;
                o.DefaultSignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultSignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, o =>
                o.ForwardDefaultSelector = ctx => BearerTokenHandler.HasToken(ctx.Request) ? null : CookieAuthenticationDefaults.AuthenticationScheme)
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
                // A deleted user or a changed role ends the cookie on the next request, not when it expires.
                o.Events.OnValidatePrincipal = ValidateCookieAsync;
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireRole(nameof(Role.Viewer)))
            .AddPolicy(Policies.Operator, p => p.RequireRole(nameof(Role.Operator)))
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(Role.Admin)))
            .AddPolicy(Policies.AgentOrOperator, p => p.RequireAssertion(ctx =>
                ctx.User.IsAgentToken() || ctx.User.IsInRole(nameof(Role.Operator))))
            .AddPolicy(Policies.CiOrOperator, p => p.RequireAssertion(ctx =>
                ctx.User.BoundSourceId() is not null || ctx.User.IsInRole(nameof(Role.Operator))))
            .AddPolicy(Policies.Agent, p => p.RequireClaim(CutoverClaims.AgentName));

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthState>();
        builder.Services.AddScoped<ActionGuard>();

        builder.Services.Configure<LockoutOptions>(builder.Configuration.GetSection(LockoutOptions.Section));
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<UserAccounts>();
        builder.Services.AddSingleton<PasswordSignIn>();
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddSingleton<FailedAuthLimiter>();
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedProto);
        builder.Services.AddSingleton<SetupCode>();
        builder.Services.AddHostedService<SetupAnnouncer>();
        builder.Services.AddHostedService<BootstrapToken>();
        builder.Services.AddCutoverRateLimiting(builder.Configuration);
        AddKeyPersistence(builder);
        return builder;
    }

    /// <summary>
    /// Keeps the DataProtection keys (which encrypt the sign-in and antiforgery cookies) in the app's data folder, so
    /// people stay signed in across restarts; on PostgreSQL, where several nodes may share the database, in the
    /// database itself unless a folder is configured.
    /// </summary>
    private static void AddKeyPersistence(WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("Cutover");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<DatabaseInfo, ILoggerFactory, IDbContextFactory<CutoverDbContext>>((o, database, logs, dbFactory) =>
        {
            var configured = builder.Configuration[KeysPathKey];
            if (string.IsNullOrWhiteSpace(configured) && database.Provider != "SQLite")
            {
                o.XmlRepository = new ScaleOut.DatabaseXmlRepository(dbFactory);
                return;
            }

            var folder = !string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(configured, builder.Environment.ContentRootPath)
                : database.Provider == "SQLite" && Path.GetDirectoryName(database.Location) is { Length: > 0 } dataDir
                    ? Path.Combine(dataDir, "keys")
                    : Path.Combine(builder.Environment.ContentRootPath, "data", "keys");
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), logs);
        });
    }

    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null) return;
        var services = context.HttpContext.RequestServices;
        var valid = await RevalidatingAuthState.IsStillValidAsync(
            services.GetRequiredService<IDbContextFactory<CutoverDbContext>>(), services.GetRequiredService<TimeProvider>(),
            context.Principal, context.HttpContext.RequestAborted);
        if (valid) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/healthz")
            || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/openapi"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
