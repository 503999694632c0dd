using System.Text.Json;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary><c>promote --guard</c>, <c>rollback --guard</c>, <c>guard show</c> and <c>guard abort</c> against the real app.</summary>
public sealed class GuardCommandsTests(CliAppFactory app) : IClassFixture<CliAppFactory>
{
    private CliRun Cli() => new(server: app.Address, token: CliAppFactory.AdminToken);

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task PromoteWithGuard_ThenGuardShow_TableAndJson()
    {
        using var admin = app.Http();
        var name = Name("gshow");
        var (_, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/g:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/g:2.0");
        using var cli = Cli();

        var promote = await cli.RunAsync(["promote", name, second.ToString(), "--guard", "10m", "--max-error-rate", "0.1", "--min-requests", "5"], "y\n");
        Assert.True(promote.ExitCode == ExitCodes.Ok, promote.ToString());
        Assert.Contains("guard: watch for 00:10:00 · errors ≤ 10 % over ≥ 5 calls · must stay healthy", promote.Error);
        Assert.Contains($"A guard watches it: 'cutover guard show {name}'.", promote.Out);

        var show = await cli.RunAsync("guard", "show", name);
        Assert.True(show.ExitCode == ExitCodes.Ok, show.ToString());
        Assert.Contains("Watching", show.Out);
        Assert.Contains(second.ToString(), show.Out);
        Assert.Contains("00:10:00 · errors ≤ 10 % over ≥ 5 calls · must stay healthy", show.Out);
        Assert.Contains("0 calls · 0 errors (0 %)", show.Out);

        var json = await cli.RunAsync("guard", "show", name, "--output", "json");
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("Watching", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(second, doc.RootElement.GetProperty("deploymentId").GetGuid());
        Assert.Equal(0.1, doc.RootElement.GetProperty("settings").GetProperty("maxErrorRate").GetDouble());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("previousDeploymentId").ValueKind); // the first was never healthy
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task GuardAbort_ConfirmedStops_RefusedKeepsWatching_NothingWatchingIsExit3()
    {
        using var admin = app.Http();
        var name = Name("gabort");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/a:1.0");
        var (agentId, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/a:2.0");
        using var cli = Cli();
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("promote", name, second.ToString(), "--guard", "00:30:00", "--yes")).ExitCode);

        var refused = await cli.RunAsync(["guard", "abort", name], "n\n");
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("Still watching.", refused.Error);
        Assert.Contains("Watching", (await cli.RunAsync("guard", "show", name)).Out);

        var stopped = await cli.RunAsync(["guard", "abort", name, "--reason", "verified by hand"], "y\n");
        Assert.True(stopped.ExitCode == ExitCodes.Ok, stopped.ToString());
        Assert.Contains($"Guard of {name} stopped (Aborted)", stopped.Out);
        Assert.Equal(second, await ApiSeed.ProductionAsync(admin, agentId));
        Assert.Contains("verified by hand", (await cli.RunAsync("guard", "show", name)).Out);

        var again = await cli.RunAsync("guard", "abort", name, "--yes");
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("No guard is watching", again.Error);
    }

    [Fact]
    public async Task GuardShow_NoGuardEver_Exit4()
    {
        using var admin = app.Http();
        var name = Name("gnone");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/n:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("guard", "show", name);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("No guard has run", result.Error);
    }

    [Fact]
    public async Task BadGuards_Exit2_AndNothingMoves()
    {
        using var admin = app.Http();
        var name = Name("gbad");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/b:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/b:2.0");
        using var cli = Cli();

        var lone = await cli.RunAsync("promote", name, second.ToString(), "--min-requests", "5", "--yes");
        Assert.Equal(ExitCodes.Usage, lone.ExitCode);
        Assert.Contains("need --guard WINDOW", lone.Error);

        var notADuration = await cli.RunAsync("promote", name, second.ToString(), "--guard", "ten minutes", "--yes");
        Assert.Equal(ExitCodes.Usage, notADuration.ExitCode);
        Assert.Contains("is not a duration", notADuration.Error);

        // A duration the CLI reads, out of the server's bounds: the server's 400 and its detail.
        var tooShort = await cli.RunAsync("promote", name, second.ToString(), "--guard", "1s", "--yes");
        Assert.Equal(ExitCodes.Usage, tooShort.ExitCode);
        Assert.Contains("Invalid request: window must be between 00:00:10 and 24 hours", tooShort.Error);
        Assert.Equal(first, await ApiSeed.ProductionAsync(admin, agentId));
    }

    [Fact]
    public async Task RollbackWithGuard_WatchesTheDeploymentRolledBackTo()
    {
        using var admin = app.Http();
        var name = Name("groll");
        var (_, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/r:1.0");
        var (agentId, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/r:2.0");
        using var cli = Cli();
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("promote", name, second.ToString(), "--yes")).ExitCode);

        var rolled = await cli.RunAsync("rollback", name, "--guard", "5m", "--allow-unhealthy", "--yes");

        Assert.True(rolled.ExitCode == ExitCodes.Ok, rolled.ToString());
        Assert.Equal(first, await ApiSeed.ProductionAsync(admin, agentId));
        using var doc = JsonDocument.Parse((await cli.RunAsync("guard", "show", name, "-o", "json")).Out);
        Assert.Equal(first, doc.RootElement.GetProperty("deploymentId").GetGuid());
        Assert.False(doc.RootElement.GetProperty("settings").GetProperty("requireHealthy").GetBoolean());
    }
}
