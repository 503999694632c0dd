using System.Threading.Channels;
using Cutover.Cli.Api;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cutover.Cli.Live;

/// <summary>
/// A connection to <c>/hubs/status</c> with every <c>StatusChanged</c> queued in order. The token goes in the
/// Authorization header of the WebSocket request (never in the URL, where proxies log it).
/// </summary>
public sealed class StatusStream : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Channel<StatusChangeView> _changes = Channel.CreateUnbounded<StatusChangeView>(new UnboundedChannelOptions { SingleReader = true });

    private StatusStream(HubConnection connection)
    {
        _connection = connection;
        connection.On<StatusChangeView>("StatusChanged", change => _changes.Writer.TryWrite(change));
        connection.Closed += error =>
        {
            _changes.Writer.TryComplete(new CliException(ExitCodes.Failed,
                "The server closed the live connection" + (error is null ? "." : $": {error.Message}")));
            return Task.CompletedTask;
        };
    }

    public ChannelReader<StatusChangeView> Changes => _changes.Reader;

    public HubConnection Connection => _connection;

    public static async Task<StatusStream> ConnectAsync(ServerTarget target, bool reconnect, CancellationToken cancellationToken)
    {
        var token = target.RequireToken();
        var builder = new HubConnectionBuilder().WithUrl(new Uri(target.Server, "hubs/status"), o =>
        {
            o.SkipNegotiation = true;
            o.Transports = HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        });
        if (reconnect) builder.WithAutomaticReconnect();
        var stream = new StatusStream(builder.Build());
        try
        {
            await stream._connection.StartAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            await stream.DisposeAsync();
            throw e.StatusCode switch
            {
                System.Net.HttpStatusCode.Unauthorized => new CliException(ExitCodes.Unauthorized,
                    $"Unauthorized: the server refused the token (none, unknown, revoked or expired): run 'cutover login --server {target.Key}'."),
                System.Net.HttpStatusCode.Forbidden => new CliException(ExitCodes.Unauthorized, "Forbidden: the token's role does not allow live status."),
                _ => new CliException(ExitCodes.Failed, $"Cannot reach {target.Key}: {e.InnerException?.Message ?? e.Message}"),
            };
        }
        catch (System.Net.WebSockets.WebSocketException e)
        {
            await stream.DisposeAsync();
            throw e.Message.Contains("401", StringComparison.Ordinal)
                ? new CliException(ExitCodes.Unauthorized,
                    $"Unauthorized: the server refused the token (none, unknown, revoked or expired): run 'cutover login --server {target.Key}'.")
                : new CliException(ExitCodes.Failed, $"Cannot reach {target.Key}: {e.InnerException?.Message ?? e.Message}");
        }

        return stream;
    }

    public Task SubscribeAsync(Guid agentId, CancellationToken cancellationToken) =>
        _connection.InvokeAsync("Subscribe", agentId, cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
