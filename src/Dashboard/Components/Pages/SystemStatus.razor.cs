using Cutover.Core.Persistence;
using Cutover.Dashboard.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Components.Pages;

public sealed partial class SystemStatus
{
    private SystemStats? _stats;
    private string? _error;
    private bool _loading;
    private int _refreshes;

    [Inject]
    private IDbContextFactory<CutoverDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private DatabaseInfo Database { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task RefreshAsync()
    {
        _refreshes++;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _stats = new SystemStats(
                await db.Agents.CountAsync(),
                await db.Deployments.CountAsync(d => d.ExpiresAt == null),
                await db.Deployments.CountAsync(d => d.IsProduction),
                await db.Events.CountAsync(),
                await db.Users.CountAsync(),
                Time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (Shared.DataErrors.Is(e))
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private sealed record SystemStats(int Agents, int Deployments, int Production, int Events, int Users, DateTime CheckedAt);
}
