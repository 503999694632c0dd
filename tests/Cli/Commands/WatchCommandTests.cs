using System.Diagnostics;
using System.Text.Json;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary>watch over the real hub: a promote made through the API shows up as a line within a second.</summary>
public sealed class WatchCommandTests(CliAppFactory app) : IClassFixture<CliAppFactory>
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Watch_AllAgents_PrintsAPromoteWithinASecond_UntilInterrupted()
    {
        using var admin = app.Http();
        var name = $"watch-{Guid.NewGuid():N}"[..18];
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/w:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/w:2.0");
        using var cli = new CliRun(server: app.Address, token: CliAppFactory.AdminToken);
        var output = new LineWriter();
        var error = new LineWriter();
        using var interrupt = new CancellationTokenSource();

        var run = CliApp.RunAsync(["watch"], cli.Environment(output, error, new StringReader("")), interrupt.Token);
        await error.NextLineAsync(l => l.StartsWith("Watching every agent", StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        await ApiSeed.PromoteAsync(admin, agentId, second);
        var promoted = Stopwatch.StartNew();
        // A promote is two changes: the old deployment demoted, then the new one promoted (from the old pointer).
        var line = await output.NextLineAsync(l => l.Contains($"{name} production {second.ToString("N")[^8..]}:", StringComparison.Ordinal), WithinASecond);
        promoted.Stop();

        Assert.Contains($"{first.ToString("N")[^8..]} → {second.ToString("N")[^8..]}", line);
        Assert.True(promoted.Elapsed < WithinASecond, $"took {promoted.Elapsed.TotalMilliseconds} ms");
        await interrupt.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Watch_OneAgentAsJson_ShowsOnlyThatAgent()
    {
        using var admin = app.Http();
        var name = $"watchj-{Guid.NewGuid():N}"[..18];
        var other = $"other-{Guid.NewGuid():N}"[..18];
        var (agentId, _) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/wj:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/wj:2.0");
        var (otherId, _) = await ApiSeed.ReadyAsync(admin, other, "registry.local/cli/wo:1.0");
        var (_, otherSecond) = await ApiSeed.ReadyAsync(admin, other, "registry.local/cli/wo:2.0");
        using var cli = new CliRun(server: app.Address, token: CliAppFactory.AdminToken);
        var output = new LineWriter();
        var error = new LineWriter();
        using var interrupt = new CancellationTokenSource();

        var run = CliApp.RunAsync(["watch", name, "--json"], cli.Environment(output, error, new StringReader("")), interrupt.Token);
        await error.NextLineAsync(l => l.StartsWith($"Watching {name}", StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        await ApiSeed.PromoteAsync(admin, otherId, otherSecond);
        await ApiSeed.PromoteAsync(admin, agentId, second);
        var line = await output.NextLineAsync(l => l.Contains($"\"deploymentId\":\"{second}\"", StringComparison.Ordinal)
            && l.Contains("\"field\":\"production\"", StringComparison.Ordinal), WithinASecond);

        using var doc = JsonDocument.Parse(line);
        Assert.Equal(agentId, doc.RootElement.GetProperty("agentId").GetGuid());
        Assert.Equal(name, doc.RootElement.GetProperty("agentName").GetString());
        Assert.Equal(second.ToString(), doc.RootElement.GetProperty("to").GetString());
        Assert.DoesNotContain(other, output.All);
        await interrupt.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Watch_ExpiredToken_Exit5()
    {
        using var cli = new CliRun(server: app.Address, token: await app.CreateTokenAsync(Cutover.Core.Domain.Role.Viewer, DateTime.UtcNow.AddHours(-1)));

        var result = await cli.RunAsync("watch");

        Assert.Equal(ExitCodes.Unauthorized, result.ExitCode);
    }
}
