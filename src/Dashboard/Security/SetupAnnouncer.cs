using Cutover.Dashboard.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cutover.Dashboard.Security;

/// <summary>
/// On a first run (no users), issues the setup code once the server listens and prints the link that creates the
/// first admin. This link is the one secret that is logged on purpose: it is single-use, lives only in memory,
/// and whoever reads the server's console already controls the server.
/// </summary>
internal sealed class SetupAnnouncer(
    IHostApplicationLifetime lifetime,
    IServer server,
    UserAccounts users,
    SetupCode setupCode,
    StartupWork startup,
    ILogger<SetupAnnouncer> logger) : BackgroundService
{
    public const string SetupPath = "/setup";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken)) return;
        if (await users.AnyAsync(stoppingToken)) return;

        var code = setupCode.Issue();
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/') ?? "";
        var url = $"{address}{SetupPath}?code={code}";
        Announce(url);

        // Demo mode's agents print for a while after start-up: say it again below them while it still works.
        if (!startup.IsRunning) return;
        try
        {
            await startup.Done.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (setupCode.IsActive && !await users.AnyAsync(stoppingToken)) Announce(url);
    }

    private void Announce(string url) => logger.LogWarning(
        "{Rule}\n  Cutover has no users yet. Create the first admin (one-time link):\n    {SetupUrl}\n{Rule}", Rule, url, Rule);

    private static readonly string Rule = new('=', 72);

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var b = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
