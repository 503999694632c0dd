using Cutover.Dashboard.Sources;
using Cutover.Core.Sources;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Sources;

/// <summary>Runs a Manual sync of <see cref="Source"/> (re-checking Admin at the click) and reports how it ended.</summary>
public sealed partial class SyncNowButton
{
    private bool _running;

    [Parameter, EditorRequired]
    public SourceView Source { get; set; } = default!;

    /// <summary>Called once the sync ended (the page re-reads).</summary>
    [Parameter]
    public EventCallback OnSynced { get; set; }

    [Inject]
    private SourcesClient Sources { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private bool Busy => _running || Source.Status == SourceStatus.Syncing;

    private async Task SyncAsync()
    {
        // Checked at the click: the role could have changed since the page loaded.
        if (await Guard.AuthorizeAsync(Policies.Admin) is null)
        {
            Snackbar.Add("Not allowed: only administrators can sync sources here.", Severity.Error);
            return;
        }

        var ticket = await Sources.SyncNowAsync(Source.Id, CancellationToken.None);
        if (ticket is null)
        {
            Snackbar.Add($"The source {Source.Name} no longer exists.", Severity.Warning);
            await OnSynced.InvokeAsync();
            return;
        }

        _running = true;
        StateHasChanged();
        var result = await ticket.Completion;
        _running = false;
        if (result.Status == SourceStatus.Succeeded)
            Snackbar.Add($"{Source.Name} synced at {result.Commit?[..Math.Min(12, result.Commit.Length)]}: {Summary(result)}.", Severity.Success);
        else
            Snackbar.Add($"{Source.Name} failed to sync: {result.Error}", Severity.Error);
        await OnSynced.InvokeAsync();
    }

    private static string Summary(SourceSyncResult result) =>
        result.Agents.Count == 0
            ? "no agents declared"
            : string.Join(", ", result.Agents.GroupBy(a => a.Action).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
}
