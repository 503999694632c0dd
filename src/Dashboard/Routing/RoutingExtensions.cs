namespace Cutover.Dashboard.Routing;

public static class RoutingExtensions
{
    /// <summary>RPC routing: YARP's forwarder, the shared invoker, route resolution with its cache, the in-process client.</summary>
    public static WebApplicationBuilder AddCutoverRouting(this WebApplicationBuilder builder)
    {
        // YARP logs every forwarded call at Information (with the agent URL): noise and cost on the hot path.
        // Failures are logged by RpcForwarder; "Logging:LogLevel:Yarp.ReverseProxy" can still turn YARP's on.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // Names a caller's Connection header nominates must not reach the agent, even beside keep-alive.
        builder.WebHost.ConfigureKestrel(o => o.RequestHeaderEncodingSelector = ConnectionHeaderCapture.Select);
        builder.Services.Configure<RoutingOptions>(builder.Configuration.GetSection(RoutingOptions.Section));
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<ForwardingInvoker>();
        builder.Services.AddSingleton<RouteResolver>();
        builder.Services.AddSingleton<RpcForwarder>();
        builder.Services.AddSingleton<Traffic.TrafficFigures>();
        builder.Services.AddSingleton<RpcClient>();
        // Which agent URLs Cutover may call at all (registration, probes, forwarding).
        builder.Services.Configure<UrlSafetyOptions>(builder.Configuration.GetSection(UrlSafetyOptions.Section));
        builder.Services.AddSingleton<UrlSafety>();
        return builder;
    }
}
