using Cutover.Core.Sources;
using Cutover.Dashboard.Sources;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Admin: every source with its last sync (status, commit, error), when it is next polled, and its Sync now button.
/// Re-reads when a source changes (<see cref="SourceNotifier"/>), at most once per batch window.
/// </summary>
public sealed partial class Sources
{
    private IReadOnlyList<SourceView>? _sources;
    private string? _error;

    protected override async Task LoadAsync()
    {
        _error = null;
        try
        {
            _sources = await SourceStore.ListAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    /// <summary>"Ada Lovelace" of "Ada Lovelace &lt;ada@example.com&gt;" (the address stays in the tooltip).</summary>
    private static string? AuthorName(string? author) =>
        author?.IndexOf(" <", StringComparison.Ordinal) is > 0 and var i ? author[..i] : author;

    private string Until(DateTime at)
    {
        var left = at - Now;
        return left <= TimeSpan.Zero ? "now" : left.TotalSeconds < 60 ? $"in {(int)left.TotalSeconds} s" : $"in {(int)left.TotalMinutes} min";
    }
}
