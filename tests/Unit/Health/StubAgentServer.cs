using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cutover.Tests.Unit.Health;

/// <summary>
/// A real HTTP agent stand-in on 127.0.0.1 with health endpoints that answer 200, 503, redirect (same host or to
/// "localhost", another origin), hang, or follow <see cref="Healthy"/>. Counts the requests each path received.
/// </summary>
public sealed class StubAgentServer : IAsyncDisposable
{
    private readonly Dictionary<string, int> _hits = [];
    private WebApplication _app = default!;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>What <c>/switch/healthz</c> answers: 200 when true, 503 when false.</summary>
    public volatile bool Healthy = true;

    public static async Task<StubAgentServer> StartAsync()
    {
        var stub = new StubAgentServer();
        (stub._app, stub.BaseUrl) = await LoopbackServer.StartAsync(app =>
        {
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
        });
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
