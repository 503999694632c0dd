using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>
/// A real webhook receiver on 127.0.0.1 (Kestrel) at a port chosen before it listens, so the sender can be pointed
/// at it while it is down (connection refused), and it can then come up answering 500 a number of times, stall once
/// past the sender's timeout, and then accept. It records every request as it arrived.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Arrival> _arrivals = new();
    private WebApplication? _app;
    private int _failuresLeft;
    private int _stallsLeft;

    public WebhookReceiver() => Port = FreePort();

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public IReadOnlyCollection<Arrival> Arrivals => _arrivals;

    /// <summary>Starts listening: the first <paramref name="failures"/> requests get 500, the next <paramref name="stalls"/> hang for <paramref name="stall"/>.</summary>
    public async Task StartAsync(int failures = 0, int stalls = 0, TimeSpan stall = default)
    {
        _failuresLeft = failures;
        _stallsLeft = stalls;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            _arrivals.Enqueue(new Arrival(http.Request.Headers["X-Cutover-Delivery"].ToString(), http.Request.Headers["X-Cutover-Event"].ToString(),
                http.Request.Headers["X-Cutover-Signature"].ToString(), buffer.ToArray(), DateTime.UtcNow));
            if (Interlocked.Decrement(ref _failuresLeft) >= 0) return Results.StatusCode(500);
            if (Interlocked.Decrement(ref _stallsLeft) >= 0)
            {
                try
                {
                    // A slow receiver: the request got here, but the answer comes after the sender gave up.
                    await Task.Delay(stall, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return Results.Ok();
        });
        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>The receiver's own check, as a real one would do it: HMAC of the bytes received, compared in constant time.</summary>
    public static bool SignatureValid(string secret, Arrival a)
    {
        if (!a.Signature.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(a.Signature["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), a.Body);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public sealed record Arrival(string DeliveryId, string Event, string Signature, byte[] Body, DateTime At);
}
