using Cutover.Dashboard.Sources;
using Cutover.Core.Sources;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Admin: one source, the agents it declares (linked to their pages), its sync history (trigger, commit, per-agent
/// action) and Sync now. Re-reads when this source changes, at most once per batch window.
/// </summary>
public sealed partial class SourceDetail
{
    private SourceView? _source;
    private IReadOnlyList<SourceAgent> _declared = [];
    private IReadOnlyList<SourceSync> _history = [];
    private string? _error;
    private bool _loaded;

    [Parameter]
    public Guid Id { get; set; }

    protected override async Task LoadAsync()
    {
        _error = null;
        try
        {
            _source = await SourceStore.GetAsync(Id, CancellationToken.None);
            if (_source is not null)
            {
                _declared = await SourceStore.DeclaredAsync(Id, CancellationToken.None);
                _history = await SourceStore.SyncsAsync(Id, 50, CancellationToken.None) ?? [];
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }

        _loaded = true;
    }

    protected override bool Shows(Guid sourceId) => sourceId == Id;
}
