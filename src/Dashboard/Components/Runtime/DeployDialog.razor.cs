using Cutover.Core.Domain;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Runtime;

public sealed partial class DeployDialog : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private Phase _phase = Phase.Choosing;
    private string? _image;
    private string? _error;
    private string? _reason;
    private Guid? _deploymentId;

    private enum Phase
    {
        Choosing,
        Starting,
        Pending,
        Ready,
        Failed,
        External,
    }

    [Parameter, EditorRequired]
    public Guid AgentId { get; set; }

    /// <summary>The image chosen when the dialog opens (for example the agent's latest), if any.</summary>
    [Parameter]
    public string? Image { get; set; }

    /// <summary>Called with the new deployment's id once it exists (Pending).</summary>
    [Parameter]
    public EventCallback<Guid> OnDeployed { get; set; }

    [Parameter]
    public TimeSpan LogRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [CascadingParameter]
    private IMudDialogInstance? Dialog { get; set; }

    private string StatusText => _phase switch
    {
        Phase.Starting => "Starting",
        Phase.Pending or Phase.External => "Pending",
        Phase.Ready => "Ready",
        Phase.Failed => "Failed",
        _ => "",
    };

    private Color StatusColor => _phase switch
    {
        Phase.Ready => Color.Success,
        Phase.Failed => Color.Error,
        _ => Color.Warning,
    };

    private string ProgressText => _phase switch
    {
        Phase.Starting => $"Starting {_image}…",
        Phase.Pending => "Started; waiting for the agent to register.",
        Phase.Ready => "The agent registered: the deployment is Ready to promote.",
        Phase.Failed => _reason ?? "The deployment failed.",
        Phase.External => "Created; an outside system has to start it. Its row says so until its pod registers.",
        _ => "",
    };

    protected override void OnInitialized() => _image = Image is not null && Data.DeployRuntime.Images.Contains(Image) ? Image : null;

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }

    private async Task DeployAsync()
    {
        if (_image is null || _phase != Phase.Choosing) return;
        _error = null;

        // The button is only a convenience: the server decides, on every click, whether this user may deploy.
        if (await Guard.AuthorizeAsync(Policies.Operator) is not { } user)
        {
            _error = "Deploying needs the Operator role.";
            return;
        }

        if (!DockerImage.TryParse(_image, out var image, out var invalid))
        {
            _error = invalid;
            return;
        }

        _phase = Phase.Starting;
        var outcome = await Data.DeployAsync(AgentId, image, user.Actor(), _disposed.Token);
        if (!outcome.IsSuccess)
        {
            // A deploy the runtime refused is recorded Failed; show the recorded reason.
            _phase = Phase.Failed;
            _reason = outcome.Failure!.Detail;
            return;
        }

        var deployment = outcome.Value!;
        _deploymentId = deployment.Id;
        await OnDeployed.InvokeAsync(deployment.Id);
        if (Data.WaitForSettledAsync(deployment.Id, _disposed.Token) is not { } settling)
        {
            _phase = Phase.External;
            return;
        }

        _phase = Phase.Pending;
        StateHasChanged();
        try
        {
            var verdict = await settling;
            _phase = verdict.Succeeded ? Phase.Ready : Phase.Failed;
            _reason = verdict.Succeeded ? null : await RecordedReasonAsync(deployment.Id) ?? verdict.Reason;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The dialog closed while the deploy went on; it still settles on its own.
        }
    }

    private Task<string?> RecordedReasonAsync(Guid deploymentId) => Data.GetDeploymentDetailAsync(deploymentId, _disposed.Token);

    private void Close() => Dialog?.Close(DialogResult.Ok(_deploymentId));

    /// <summary>Closes with the request to promote the deployment that just became Ready (the page confirms it as usual).</summary>
    private void PromoteNow(Guid deploymentId) => Dialog?.Close(DialogResult.Ok(new PromoteRequested(deploymentId)));
}
