using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// A slim Kestrel app on 127.0.0.1 (a free port, no logging) whose <see cref="Url"/> is its <c>/rpc</c> path: the
/// benchmark's backend (a minimal agent) and its reference proxy (bare YARP).
/// </summary>
internal sealed class LoopbackApp : IAsyncDisposable
{
    private static readonly byte[] Body = """{"jsonrpc":"2.0","id":1,"result":{"ok":true}}"""u8.ToArray();

    private readonly WebApplication _app;

    private LoopbackApp(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>A minimal agent answering every request with a tiny JSON-RPC result.</summary>
    public static Task<LoopbackApp> StartBackendAsync() => StartAsync(_ => { }, app => app.Run(async context =>
    {
        // Drain the request body as a real agent would before answering.
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Body.Length;
        await context.Response.Body.WriteAsync(Body);
    }));

    /// <summary>
    /// A reference point: YARP's own MapForwarder to the backend, with no authentication, route lookup or transforms.
    /// The gap between it and Cutover is Cutover's cost; the gap between it and direct is the cost of any proxy hop.
    /// </summary>
    public static Task<LoopbackApp> StartBareProxyAsync(Uri backend) => StartAsync(
        builder => builder.Services.AddHttpForwarder(),
        app => app.MapForwarder("/rpc", backend.GetLeftPart(UriPartial.Authority)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<LoopbackApp> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackApp(app, new Uri(address.TrimEnd('/') + "/rpc"));
    }
}
