using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary>sources list and sources sync against the real app, syncing from real git repositories in temp folders.</summary>
public sealed class SourceCommandsTests(CliAppFactory app) : IClassFixture<CliAppFactory>
{
    private CliRun Cli() => new(server: app.Address, token: CliAppFactory.AdminToken);

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static string Manifest(params string[] agents) =>
        "agents:\n" + string.Concat(agents.Select(a => $"  - name: {a}\n    image: registry.local/cli/source:1.0\n"));

    private async Task<Guid> CreateSourceAsync(string name, GitRepo repo)
    {
        using var admin = app.Http();
        var response = await admin.PostAsJsonAsync("api/sources", new { name, repoUrl = repo.FileUrl, pollInterval = "00:00:00" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task SourcesList_TableAndJson_ShowTheSource()
    {
        using var repo = new GitRepo();
        repo.Commit("cutover.yaml", Manifest(Name("agent")));
        var name = Name("src-list");
        var id = await CreateSourceAsync(name, repo);
        using var cli = Cli();

        var table = await cli.RunAsync("sources", "list");
        var json = await cli.RunAsync("sources", "list", "-o", "json");

        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains(name));
        Assert.Contains("main", row);
        Assert.Contains("Unknown", row);
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        using var doc = JsonDocument.Parse(json.Out);
        var source = Assert.Single(doc.RootElement.EnumerateArray(), s => s.GetProperty("name").GetString() == name);
        Assert.Equal(id, source.GetProperty("id").GetGuid());
        Assert.Equal(repo.FileUrl, source.GetProperty("repoUrl").GetString());
    }

    [Fact]
    public async Task SourcesSync_Wait_ByName_SucceedsAndShowsWhatItDidPerAgent()
    {
        using var repo = new GitRepo();
        var agent = Name("synced");
        var head = repo.Commit("cutover.yaml", Manifest(agent));
        var name = Name("src-sync");
        var id = await CreateSourceAsync(name, repo);
        using var cli = Cli();

        var result = await cli.RunAsync("sources", "sync", name, "--wait", "--timeout", "60");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains($"Succeeded at {head[..12]}", result.Out);
        var row = Assert.Single(result.Out.Split('\n'), l => l.Contains(agent));
        Assert.Contains("Created", row);
        Assert.Contains($"{name}: Succeeded", result.Error);
        using var admin = app.Http();
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/sources/{id}"));
        Assert.Equal("Succeeded", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(head, doc.RootElement.GetProperty("lastCommit").GetString());
    }

    [Fact]
    public async Task SourcesSync_Wait_OnATerminal_ShowsAStatusThenTheResult()
    {
        using var repo = new GitRepo();
        var agent = Name("spinner");
        repo.Commit("cutover.yaml", Manifest(agent));
        var name = Name("src-term");
        await CreateSourceAsync(name, repo);
        using var cli = Cli();
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output, Error = error, In = new StringReader(""), Variable = v => cli.Variables.GetValueOrDefault(v),
            InteractiveInput = true, InteractiveOutput = true,
        };

        var code = await CliApp.RunAsync(["sources", "sync", name, "--wait", "--timeout", "60"], env, CancellationToken.None);

        Assert.True(code == ExitCodes.Ok, $"{output}\n{error}");
        Assert.DoesNotContain($"{name}: Succeeded", error.ToString()); // the status display replaces the lines of a pipe
        Assert.Contains(agent, output.ToString());
        Assert.Contains($"of {name} Succeeded", output.ToString());
    }

    [Fact]
    public async Task SourcesSync_AtCommit_ById_SyncsThatCommitNotTheHead()
    {
        using var repo = new GitRepo();
        var first = repo.Commit("cutover.yaml", Manifest(Name("first")));
        repo.Commit("cutover.yaml", Manifest(Name("second")), "Second manifest");
        var id = await CreateSourceAsync(Name("src-commit"), repo);
        using var cli = Cli();

        var result = await cli.RunAsync("sources", "sync", id.ToString(), "--commit", first, "--wait", "--timeout", "60");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains($"commit {first}", result.Out);
        using var admin = app.Http();
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/sources/{id}/syncs"));
        var sync = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(first, sync.GetProperty("commit").GetString());
        Assert.Equal("Manual", sync.GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task SourcesSync_Wait_BrokenManifest_Exit1WithTheReason()
    {
        using var repo = new GitRepo();
        var twice = Name("twice");
        repo.Commit("cutover.yaml", Manifest(twice, twice));
        var name = Name("src-fail");
        await CreateSourceAsync(name, repo);
        using var cli = Cli();

        var result = await cli.RunAsync("sources", "sync", name, "--wait", "--timeout", "60");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains($"of {name} failed:", result.Error);
        Assert.Contains(twice, result.Error); // the duplicate is named
    }

    [Fact]
    public async Task SourcesSync_WithoutWait_PrintsTheSyncIdTheHistoryHolds()
    {
        using var repo = new GitRepo();
        repo.Commit("cutover.yaml", Manifest(Name("nowait")));
        var name = Name("src-nowait");
        var id = await CreateSourceAsync(name, repo);
        using var cli = Cli();

        var result = await cli.RunAsync("sources", "sync", name);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var syncId = Guid.Parse(result.Out.Split(' ')[1]);
        // The sync runs on the server after the answer: wait (bounded) for its entry in the history to end.
        using var admin = app.Http();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? status = null;
        while (status is not ("Succeeded" or "Failed"))
        {
            if (status is not null) await Task.Delay(100, timeout.Token);
            using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/sources/{id}/syncs", timeout.Token));
            status = doc.RootElement.EnumerateArray().Where(s => s.GetProperty("id").GetGuid() == syncId)
                .Select(s => s.GetProperty("status").GetString()).FirstOrDefault() ?? "";
        }

        Assert.Equal("Succeeded", status);
    }

    [Fact]
    public async Task SourcesSync_UnknownSource_Exit4()
    {
        using var cli = Cli();

        var byName = await cli.RunAsync("sources", "sync", "no-such-source");
        var byId = await cli.RunAsync("sources", "sync", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.NotFound, byName.ExitCode);
        Assert.Contains("No source named 'no-such-source'", byName.Error);
        Assert.Equal(ExitCodes.NotFound, byId.ExitCode);
    }

    [Fact]
    public async Task SourcesSync_BadCommit_Exit2NamingTheField()
    {
        using var repo = new GitRepo();
        repo.Commit("cutover.yaml", Manifest(Name("badsha")));
        var name = Name("src-badsha");
        await CreateSourceAsync(name, repo);
        using var cli = Cli();

        var result = await cli.RunAsync("sources", "sync", name, "--commit", "not-a-sha;rm");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("commit", result.Error);
    }
}
