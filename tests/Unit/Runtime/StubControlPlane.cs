using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// A stand-in control plane on a real loopback port that records what an agent sends, for testing the sample agent
/// by itself (registration retries, metadata, health reports). Can be started after the agent.
/// </summary>
internal sealed class StubControlPlane : IAsyncDisposable
{
    private WebApplication? _app;

    public StubControlPlane()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public Guid AgentId { get; } = Guid.NewGuid();

    public ConcurrentQueue<(string Authorization, JsonElement Body)> Registrations { get; } = new();

    public ConcurrentQueue<(Guid AgentId, JsonElement Body)> HealthReports { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url.ToString());
        _app = builder.Build();
        _app.MapPost("/api/agents/register", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            Registrations.Enqueue((request.Headers.Authorization.ToString(), body));
            return Results.Ok(new { id = AgentId, name = body.GetProperty("name").GetString() });
        });
        _app.MapPost("/api/agents/{id:guid}/health", async (Guid id, HttpRequest request) =>
        {
            HealthReports.Enqueue((id, await JsonSerializer.DeserializeAsync<JsonElement>(request.Body)));
            return Results.Accepted();
        });
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
