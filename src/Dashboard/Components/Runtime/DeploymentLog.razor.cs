using Cutover.Core.Runtime;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Runtime;

public sealed partial class DeploymentLog : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private RuntimeOutput _output = RuntimeOutput.Empty;
    private RuntimeState _state = RuntimeState.Unknown;
    private Guid _shown;
    private Task? _loop;

    [Parameter, EditorRequired]
    public Guid DeploymentId { get; set; }

    /// <summary>How often the output is re-read while the component is shown.</summary>
    [Parameter]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Inject]
    private IAgentToolsClient Tools { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string StateText => _state.Status switch
    {
        RuntimeStatus.Running => $"Running · pid {_state.ProcessId}",
        RuntimeStatus.Exited => $"Exited with code {_state.ExitCode}",
        _ => "Not run by this dashboard",
    };

    private string EmptyText => _state.Status == RuntimeStatus.Unknown
        ? "No output: this deployment is not running under this dashboard's runtime."
        : "No output yet.";

    protected override void OnParametersSet()
    {
        if (_shown != DeploymentId)
        {
            _shown = DeploymentId;
            Read();
        }

        _loop ??= RefreshLoopAsync(_disposed.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _disposed.Dispose();
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var before = (_output.Total, _state);
            Read();
            if (before != (_output.Total, _state)) await InvokeAsync(StateHasChanged);
        }
    }

    private void Read()
    {
        var process = Tools.GetProcess(_shown);
        _output = process.Output;
        _state = process.State;
    }
}
