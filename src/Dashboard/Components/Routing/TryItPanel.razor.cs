using System.Text.Json;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Routing;

/// <summary>
/// Sends a JSON-RPC request to an agent's production deployment (or to one deployment, as a preview) through
/// Cutover's own routing, in process, and shows the status, time, serving deployment and body. The Operator policy
/// is checked again on the server at every send: what the page showed when it loaded is not a permission.
/// </summary>
public sealed partial class TryItPanel : IDisposable
{
    internal const string Example = """
        {
          "jsonrpc": "2.0",
          "id": 1,
          "method": "message/send",
          "params": {
            "message": {
              "role": "user",
              "messageId": "try-it-1",
              "parts": [ { "kind": "text", "text": "Hello! What can you do?" } ]
            }
          }
        }
        """;

    /// <summary>
    /// The longest request the box takes (characters). The circuit's message limit is set above it
    /// (UiExtensions), so a request is always sent exactly as shown, never dropped with the connection.
    /// </summary>
    public const int MaxRequestLength = 64 * 1024;

    private readonly CancellationTokenSource _disposed = new();
    private Guid? _shownFor;
    private bool _targetKnown;
    private string _request = Example;
    private bool _canSend;
    private bool _sending;
    private string? _problem;
    private RpcReply? _reply;

    [Parameter, EditorRequired]
    public Guid AgentId { get; set; }

    /// <summary>When set, the request goes to this deployment (preview) instead of production.</summary>
    [Parameter]
    public Guid? DeploymentId { get; set; }

    [Inject]
    private IAgentToolsClient Tools { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // A response belongs to the target it came from: switching the target clears it.
        if (!_targetKnown || _shownFor != DeploymentId) _reply = null;
        (_targetKnown, _shownFor) = (true, DeploymentId);
        _canSend = await IsOperatorAsync();
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private void Reset()
    {
        _request = Example;
        _problem = null;
    }

    private async Task SendAsync()
    {
        _problem = null;
        _reply = null;
        _request ??= "";
        if (!await IsOperatorAsync())
        {
            _canSend = false;
            _problem = "You are not allowed to send requests to agents (operator role required).";
            return;
        }

        if (_request.Length > MaxRequestLength)
        {
            _problem = $"The request is longer than {MaxRequestLength:N0} characters; shorten it.";
            return;
        }

        if (ParseProblem(_request) is { } invalid)
        {
            _problem = invalid;
            return;
        }

        _sending = true;
        try
        {
            _reply = await Tools.SendRpcAsync(AgentId, DeploymentId, _request, _disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The panel went away mid-call; nothing to show.
        }
        finally
        {
            _sending = false;
        }
    }

    private Task<bool> IsOperatorAsync() => Guard.CanAsync(Policies.Operator);

    private static string? ParseProblem(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : "The request must be a JSON object.";
        }
        catch (JsonException e)
        {
            return $"The request is not valid JSON: {e.Message}";
        }
    }

    private static string StatusText(RpcReply reply) =>
        reply.FromAgent ? $"{reply.StatusCode} from agent" : $"{reply.StatusCode} from Cutover";

    private static Color StatusColor(int status) => status switch
    {
        < 300 => Color.Success,
        < 500 => Color.Warning,
        _ => Color.Error,
    };
}
