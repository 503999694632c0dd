using Cutover.Core.Provisioning;
using Cutover.Dashboard.Provisioning;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Paste or upload a spec, see its dry-run plan, apply it, watch every agent's step live, tear it down with a
/// confirmation that says how many agents go. Reads through <see cref="ProvisioningClient"/>; live changes are
/// applied as they come (typed upserts of ledger rows) and rendered in batches.
/// </summary>
public sealed partial class Provisioning : IAsyncDisposable
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(100);
    private const long MaxUploadBytes = ProvisioningEndpoints.MaxSpecBytes;

    private readonly CancellationTokenSource _disposed = new();
    private string? _spec;
    private bool _busy;
    private IReadOnlyList<SpecProblem>? _problems;
    private RunView? _plan;
    private RunView? _run;
    private RunStatus _status;
    private long _sequence;
    private string? _error;
    private List<LedgerRow> _rows = [];
    private IReadOnlyList<RunView>? _runs;
    private RunSubscription? _subscription;
    private Task? _loop;

    [Inject]
    private ProvisioningClient Client { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private int Settled => _rows.Count(r => r.Step is LedgerStep.Woken or LedgerStep.Failed or LedgerStep.TornDown);

    private double Progress => _rows.Count == 0 ? 0 : 100.0 * (_status is RunStatus.TearingDown or RunStatus.TornDown
        ? _rows.Count(r => r.Step == LedgerStep.TornDown)
        : Settled) / _rows.Count;

    protected override async Task OnInitializedAsync()
    {
        // Subscribed before the first read, so no change falls between the two.
        _subscription = Client.Subscribe();
        _runs = await Client.ListAsync(_disposed.Token);
        _loop = ListenAsync(_subscription, _disposed.Token);
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        try
        {
            using var reader = new StreamReader(e.File.OpenReadStream(MaxUploadBytes, _disposed.Token));
            _spec = await reader.ReadToEndAsync(_disposed.Token);
            _problems = null;
        }
        catch (IOException ex)
        {
            _problems = [new SpecProblem("file", $"Could not read {e.File.Name}: {ex.Message}")];
        }
    }

    private Task DryRunAsync() => SubmitAsync(dryRun: true);

    private Task ApplyAsync() => SubmitAsync(dryRun: false);

    private async Task SubmitAsync(bool dryRun)
    {
        if (await Guard.AuthorizeAsync(Policies.Operator) is not { } user)
        {
            Snackbar.Add("Not allowed: only operators can provision agents.", Severity.Error);
            return;
        }

        _busy = true;
        try
        {
            var result = await Client.SubmitAsync(_spec ?? "", dryRun, user.Actor(), _disposed.Token);
            _problems = result.Problems;
            if (!result.IsSuccess) return;
            if (dryRun)
            {
                _plan = result.Run;
                return;
            }

            _plan = null;
            Show(result.Run!);
            // Changes that came before the run was shown were skipped; a fresh read includes them.
            if (await Client.GetAsync(result.Run!.Id!.Value, _disposed.Token) is { } fresh && fresh.Sequence > _sequence) Show(fresh);
            Snackbar.Add($"Run “{result.Run!.Name}” started: {result.Run.Ledger.Count} agents.", Severity.Info);
            _runs = await Client.ListAsync(_disposed.Token);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task TearDownAsync()
    {
        if (_run?.Id is not { } runId) return;
        var going = _rows.Count(r => r.AgentId is not null && r.Step != LedgerStep.TornDown);
        var confirmed = await Dialogs.ShowMessageBoxAsync("Tear down run",
            $"Tear down “{_run.Name}”? {going} agent{(going == 1 ? "" : "s")} will be stopped and deleted, with their deployments.",
            yesText: $"Tear down {going} agent{(going == 1 ? "" : "s")}", cancelText: "Cancel");
        if (confirmed != true) return;

        // Checked after the dialog: the role could have changed while it was open.
        if (await Guard.AuthorizeAsync(Policies.Operator) is not { } user)
        {
            Snackbar.Add("Not allowed: only operators can tear runs down.", Severity.Error);
            return;
        }

        if (await Client.BeginTeardownAsync(runId, user.Actor(), _disposed.Token) is null) Snackbar.Add("The run no longer exists.", Severity.Warning);
        else Snackbar.Add($"Tearing down “{_run.Name}”.", Severity.Info);
    }

    private void Open(RunView run)
    {
        _plan = null;
        _problems = null;
        Show(run);
    }

    private void Show(RunView run)
    {
        _run = run;
        _status = run.Status;
        _error = run.Error;
        _rows = [.. run.Ledger];
        _sequence = run.Sequence;
    }

    private async Task ListenAsync(RunSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.Changes.WaitToReadAsync(cancellationToken))
            {
                var runEnded = false;
                while (subscription.Changes.TryRead(out var change)) runEnded |= Apply(change);
                if (runEnded) _runs = await Client.ListAsync(cancellationToken);
                await InvokeAsync(StateHasChanged);
                // Bursts (a fleet waking at once) are rendered together.
                await Task.Delay(Batch, Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Upserts the change into the run shown; true when a run's status changed (the list is then re-read).</summary>
    private bool Apply(RunChange change)
    {
        if (_run?.Id == change.RunId && change.Sequence > _sequence)
        {
            _sequence = change.Sequence;
            if (change.EntryId is { } entryId)
            {
                var i = _rows.FindIndex(r => r.Id == entryId);
                if (i >= 0)
                    _rows[i] = _rows[i] with { AgentId = change.AgentId, DeploymentId = change.DeploymentId, Step = change.Step!.Value, Error = change.Error, At = change.At };
            }
            else
            {
                _error = change.Error;
            }

            _status = change.Status;
        }

        return change.EntryId is null;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _subscription?.Dispose();
        if (_loop is not null) await _loop;
        _disposed.Dispose();
    }

    private static Color StatusColor(RunStatus s) => s switch
    {
        RunStatus.Succeeded => Color.Success,
        RunStatus.Failed or RunStatus.Interrupted => Color.Error,
        RunStatus.Running or RunStatus.TearingDown => Color.Info,
        _ => Color.Default,
    };

    private static Color StepColor(LedgerStep s) => s switch
    {
        LedgerStep.Woken => Color.Success,
        LedgerStep.Failed => Color.Error,
        LedgerStep.Created => Color.Info,
        _ => Color.Default,
    };
}
