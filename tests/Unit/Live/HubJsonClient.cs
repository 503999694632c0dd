using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a plain WebSocket (no .NET SignalR client here):
/// connects straight to the hub (no negotiation) with <c>access_token</c> in the query, handshakes, and splits
/// frames on the record separator 0x1E. Invocations (type 1) from the server queue up for the test.
/// </summary>
internal sealed class HubJsonClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _invocations = Channel.CreateUnbounded<JsonElement>();
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    private HubJsonClient(ClientWebSocket socket) => _socket = socket;

    public static Uri HubUri(Uri server, string? token)
    {
        var b = new UriBuilder(server) { Scheme = "ws", Path = "/hubs/status" };
        if (token is not null) b.Query = "access_token=" + Uri.EscapeDataString(token);
        return b.Uri;
    }

    public static async Task<HubJsonClient> ConnectAsync(Uri server, string? token)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(HubUri(server, token), timeout.Token);
        var client = new HubJsonClient(socket);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReceiveRecordAsync(timeout.Token);
        if (handshake.TryGetProperty("error", out var error)) throw new InvalidOperationException("Handshake refused: " + error);
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    /// <summary>The status code a refused connection attempt got.</summary>
    public static async Task<HttpStatusCode> RefusalAsync(Uri server, string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(HubUri(server, token), timeout.Token));
        return socket.HttpStatusCode;
    }

    /// <summary>Calls a hub method and waits for its completion; throws when the hub reports an error.</summary>
    public async Task InvokeAsync(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = done;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        var completion = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (completion.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{target} failed: {error}");
    }

    /// <summary>The next <c>StatusChanged</c> argument, or a TimeoutException after <paramref name="within"/>.</summary>
    public async Task<JsonElement> NextStatusChangedAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var message = await _invocations.Reader.ReadAsync(timeout.Token);
                if (message.GetProperty("target").GetString() == "StatusChanged") return message.GetProperty("arguments")[0];
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No StatusChanged within {within.TotalMilliseconds} ms.");
        }
    }

    /// <summary>Completes when the server ends the connection (a close frame, or the socket closing).</summary>
    public Task Closed => _reader;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (WebSocketException)
        {
        }

        try
        {
            await _reader;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var message = await ReceiveRecordAsync(_stop.Token);
            var type = message.GetProperty("type").GetInt32();
            if (type == 1)
            {
                await _invocations.Writer.WriteAsync(message);
            }
            else if (type == 3 && message.GetProperty("invocationId").GetString() is { } id)
            {
                TaskCompletionSource<JsonElement>? done;
                lock (_pending) _pending.Remove(id, out done);
                done?.TrySetResult(message);
            }
            else if (type == 7)
            {
                return;
            }
        }
    }

    private async Task<JsonElement> ReceiveRecordAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        while (true)
        {
            var written = _buffer.WrittenSpan;
            var end = written.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                var record = JsonDocument.Parse(written[..end].ToArray()).RootElement.Clone();
                var rest = written[(end + 1)..].ToArray();
                _buffer.Clear();
                _buffer.Write(rest);
                return record;
            }

            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("The hub closed the connection.");
            _buffer.Write(chunk.AsSpan(0, result.Count));
        }
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + (char)RecordSeparator), WebSocketMessageType.Text, true, _stop.Token);
}
