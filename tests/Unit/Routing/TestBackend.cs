using System.Collections.Concurrent;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cutover.Tests.Unit.Routing;

/// <summary>
/// A real agent stand-in: Kestrel on 127.0.0.1 with a free port. By default it answers every request with a small
/// JSON body naming itself; <see cref="StartAsync"/> takes a custom handler. Records the headers it received.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private WebApplication _app = default!;

    private TestBackend(string name) => Name = name;

    public string Name { get; }

    public Uri Url { get; private set; } = default!;

    /// <summary>The headers of every request received, in arrival order.</summary>
    public ConcurrentQueue<IHeaderDictionary> Received { get; } = new();

    public static async Task<TestBackend> StartAsync(string name, RequestDelegate? handler = null)
    {
        var backend = new TestBackend(name);
        (backend._app, var baseUrl) = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            var copy = new HeaderDictionary();
            foreach (var (key, value) in context.Request.Headers) copy[key] = value;
            backend.Received.Enqueue(copy);
            if (handler is not null)
            {
                await handler(context);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""{"jsonrpc":"2.0","id":1,"result":{"backend":"{{{name}}}"}}""");
        }));
        backend.Url = new Uri(baseUrl.ToString().TrimEnd('/') + "/rpc");
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
