using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Rate limits. Sign-in (POST /login and /setup) is limited globally by remote address; registration and health
/// reports are named policies the agent endpoints opt into with <c>.RequireRateLimiting(RateLimits.Registration)</c>.
/// A refusal is 429 with Retry-After (not the middleware's default 503, which would read as an outage).
/// </summary>
public static class RateLimits
{
    public const string Registration = "registration";
    public const string HealthReport = "health-report";

    public static IServiceCollection AddCutoverRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSignIn(ctx.Request)
                ? Window("signin:" + RemoteAddress(ctx), options.SignIn)
                : RateLimitPartition.GetNoLimiter("none"));
            o.AddPolicy(Registration, ctx => Window("register:" + CallerKey(ctx), options.Registration));
            o.AddPolicy(HealthReport, ctx => Window("health:" + CallerKey(ctx), options.HealthReport));
        });
        return services;
    }

    /// <summary>The bearer token's hash (so the secret itself is never a dictionary key), else the remote address.</summary>
    public static string CallerKey(HttpContext context) =>
        BearerTokenHandler.ReadToken(context.Request) is { } token ? "token:" + TokenSecrets.Hash(token) : "ip:" + RemoteAddress(context);

    public static string RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(SetupAnnouncer.SetupPath, StringComparison.OrdinalIgnoreCase));

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
