using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Tests.Unit.Health;

/// <summary>
/// A real HTTP agent stand-in on 127.0.0.1 with health endpoints that answer 200, 503, redirect (same host or to
/// "localhost", another origin), hang, or follow <see cref="Healthy"/>. Counts the requests each path received.
/// </summary>
public sealed class StubAgentServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _hits = [];

    private StubAgentServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>What <c>/switch/healthz</c> answers: 200 when true, 503 when false.</summary>
    public volatile bool Healthy = true;

    public static async Task<StubAgentServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubAgentServer(app);
        app.Use(async (ctx, next) =>
        {
            lock (stub._hits) stub._hits[ctx.Request.Path] = stub._hits.GetValueOrDefault(ctx.Request.Path) + 1;
            await next(ctx);
        });
        app.MapGet("/ok/healthz", () => Results.Ok());
        app.MapGet("/down/healthz", () => Results.StatusCode(503));
        app.MapGet("/hop/healthz", () => Results.Redirect("/ok/healthz"));
        app.MapGet("/away/healthz", (HttpContext ctx) => Results.Redirect($"http://localhost:{ctx.Connection.LocalPort}/ok/healthz"));
        app.MapGet("/slow/healthz", async (HttpContext ctx) =>
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            return Results.Ok();
        });
        app.MapGet("/switch/healthz", () => stub.Healthy ? Results.Ok() : Results.StatusCode(503));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub.BaseUrl = new Uri(address);
        return stub;
    }

    public string Url(string agentPath) => new Uri(BaseUrl, agentPath).ToString();

    public int Hits(string path)
    {
        lock (_hits) return _hits.GetValueOrDefault(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
