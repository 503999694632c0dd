using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// The SignalR .NET client on <c>/hubs/status</c>, with each <c>StatusChanged</c> argument queued for the test as the
/// raw JSON the hub sent.
/// </summary>
internal sealed class StatusHubClient : IAsyncDisposable
{
    private readonly Channel<JsonElement> _changes = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StatusHubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("StatusChanged", change => _changes.Writer.TryWrite(change));
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the connection ends (the server closed it, or the socket dropped).</summary>
    public Task Closed => _closed.Task;

    public HubConnection Connection { get; }

    /// <summary>
    /// Connects with WebSockets straight away (no negotiation), as API.md allows. With <paramref name="inQuery"/> the
    /// token goes in the <c>access_token</c> query parameter (what browsers do), else in the Authorization header.
    /// </summary>
    public static async Task<StatusHubClient> ConnectAsync(Uri server, string token, bool inQuery = false)
    {
        var url = new Uri(server, inQuery ? "/hubs/status?access_token=" + Uri.EscapeDataString(token) : "/hubs/status");
        var connection = new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                if (!inQuery) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var client = new StatusHubClient(connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection.StartAsync(timeout.Token);
        return client;
    }

    /// <summary>The status code the hub's negotiation refused a connection with.</summary>
    public static async Task<HttpStatusCode?> RefusalAsync(Uri server, string? token)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/status"), o =>
            {
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(timeout.Token));
        return refused.StatusCode;
    }

    /// <summary>The next <c>StatusChanged</c> argument, or a TimeoutException after <paramref name="within"/>.</summary>
    public async Task<JsonElement> NextStatusChangedAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _changes.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No StatusChanged within {within.TotalMilliseconds} ms.");
        }
    }

    /// <summary>The next <c>StatusChanged</c> that matches, skipping others, or a TimeoutException after <paramref name="within"/>.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(timeout.Token);
                if (match(change)) return change;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching StatusChanged within {within.TotalMilliseconds} ms.");
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
