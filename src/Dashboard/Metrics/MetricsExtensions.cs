using Cutover.Dashboard.Security;
using OpenTelemetry.Metrics;

namespace Cutover.Dashboard.Metrics;

public static class MetricsExtensions
{
    /// <summary><c>Cutover:Metrics:Anonymous</c>: serve <c>/metrics</c> without sign-in (for a scraper on a trusted network).</summary>
    public const string AnonymousKey = "Cutover:Metrics:Anonymous";

    public const string Path = "/metrics";

    /// <summary>
    /// OpenTelemetry metrics in Prometheus text: ASP.NET Core's own meters (requests, Kestrel connections, routing),
    /// the .NET runtime's (GC, thread pool, CPU), and Cutover's (<see cref="CutoverMetrics"/>).
    /// </summary>
    public static WebApplicationBuilder AddCutoverMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CutoverMetrics>();
        builder.Services.AddHostedService<StatusChangeCounter>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(CutoverMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing")
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary><c>GET /metrics</c>: viewers (cookie or token), or anyone when <see cref="AnonymousKey"/> is set.</summary>
    public static IEndpointRouteBuilder MapCutoverMetrics(this IEndpointRouteBuilder endpoints)
    {
        var scrape = endpoints.MapPrometheusScrapingEndpoint(Path).WithTags("Operations");
        if (endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(AnonymousKey)) scrape.AllowAnonymous();
        else scrape.RequireAuthorization(Policies.Viewer);
        return endpoints;
    }
}
