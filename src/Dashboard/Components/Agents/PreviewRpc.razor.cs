using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class PreviewRpc
{
    /// <summary>The smallest call the agents here answer, the same as Try it's example on one line.</summary>
    public const string ExampleBody = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"role":"user","messageId":"preview-1","parts":[{"kind":"text","text":"Hello!"}]}}}""";

    private bool _copied;
    private string? _copyError;

    [Parameter, EditorRequired]
    public Guid AgentId { get; set; }

    [Parameter, EditorRequired]
    public Guid DeploymentId { get; set; }

    /// <summary>How the deployment is named around it (for the accessible names).</summary>
    [Parameter]
    public string Label { get; set; } = "";

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private string Url => Navigation.ToAbsoluteUri($"api/agents/{AgentId}/deployments/{DeploymentId}/rpc").ToString();

    private string Curl =>
        $"curl -X POST '{Url}' -H \"Authorization: Bearer $CUTOVER_TOKEN\" -H 'Content-Type: application/json' -d '{ExampleBody}'";

    private async Task CopyAsync()
    {
        _copyError = null;
        try
        {
            _copied = await JS.InvokeAsync<bool>("cutover.copyText", Curl);
        }
        catch (JSException)
        {
            // The clipboard needs a secure context or a permission: say so, the line stays selectable.
            _copied = false;
            _copyError = "Could not copy here: select the line and copy it.";
        }
    }
}
