using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Rate limits, each a named policy its endpoints opt into: sign-in (posting the Login or Setup form, by remote
/// address; the pages carry <c>[EnableRateLimiting(RateLimits.SignIn)]</c>), registration and health reports (by
/// caller, <c>.RequireRateLimiting(RateLimits.Registration)</c>). No global limiter: an endpoint that names no policy
/// (every RPC) passes the middleware without a lookup. A refusal is 429 with Retry-After (not the middleware's
/// default 503, which would read as an outage).
/// </summary>
public static class RateLimits
{
    public const string SignIn = "signin";
    public const string Registration = "registration";
    public const string HealthReport = "health-report";

    public static IServiceCollection AddCutoverRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            // Posting a sign-in form (the Login and Setup pages name this policy; reading them is not limited).
            o.AddPolicy(SignIn, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? Window("signin:" + RemoteAddress(ctx), options.SignIn)
                : RateLimitPartition.GetNoLimiter("signin:read"));
            o.AddPolicy(Registration, ctx => Window("register:" + CallerKey(ctx), options.Registration));
            o.AddPolicy(HealthReport, ctx => Window("health:" + CallerKey(ctx), options.HealthReport));
        });
        return services;
    }

    /// <summary>The bearer token's hash (so the secret itself is never a dictionary key), else the remote address.</summary>
    public static string CallerKey(HttpContext context) =>
        BearerTokenHandler.TokenHash(context.Request) is { } hash ? "token:" + hash : "ip:" + RemoteAddress(context);

    public static string RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Window(string key, RateLimitWindow window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, window.PermitLimit),
            Window = window.Window > TimeSpan.Zero ? window.Window : TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
                title: "Too many requests",
                detail: $"Too many requests from this caller. Try again in {seconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests,
                type: "https://httpstatuses.io/429")
            .ExecuteAsync(context.HttpContext);
    }
}
