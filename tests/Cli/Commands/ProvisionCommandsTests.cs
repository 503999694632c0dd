using System.Net;
using System.Text.Json;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary>
/// provision apply, list, show and teardown against the real app; the runs wake real sample-agent processes through
/// the local runtime. Each test writes its own spec file and uses its own agent names.
/// </summary>
public sealed class ProvisionCommandsTests(CliAppFactory app) : IClassFixture<CliAppFactory>, IDisposable
{
    private const string Image = "cutover/sample-agent:1.0";
    private const string BrokenImage = "cutover/sample-agent:2.1-broken";

    private readonly string _specs = Directory.CreateTempSubdirectory("cutover-cli-specs-").FullName;

    private CliRun Cli() => new(server: app.Address, token: CliAppFactory.AdminToken);

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private string Spec(string fileName, string content)
    {
        var path = Path.Combine(_specs, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Yaml(string run, string onFailure, params (string Name, string Image)[] agents) =>
        $"name: {run}\nonFailure: {onFailure}\nagents:\n" + string.Concat(agents.Select(a => $"  - name: {a.Name}\n    image: {a.Image}\n"));

    private async Task<HttpStatusCode> AgentStatusAsync(string name)
    {
        using var admin = app.Http();
        return (await admin.GetAsync($"api/agents/by-name/{name}")).StatusCode;
    }

    private async Task<JsonElement> RunAsync(Guid id)
    {
        using var admin = app.Http();
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/provisioning/runs/{id}"));
        return doc.RootElement.Clone();
    }

    private static Guid StartedRunId(CliResult result) =>
        Guid.Parse(Assert.Single(result.Out.Split('\n'), l => l.StartsWith("Started run ", StringComparison.Ordinal)).Split(' ')[2]);

    [Fact]
    public async Task Apply_DryRun_Yaml_PrintsThePlanAndCreatesNothing()
    {
        var (a, b) = (Name("plan-a"), Name("plan-b"));
        // A spec that says dryRun: false still only plans with --dry-run (the CLI rewrites that line).
        var spec = Spec("plan.yaml", "dryRun: false\n" + Yaml(Name("plan"), "keep", (a, Image), (b, Image)));
        using var cli = Cli();

        var result = await cli.RunAsync("provision", "apply", "-f", spec, "--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("nothing created", result.Out);
        Assert.Contains(a, result.Out);
        Assert.Contains(b, result.Out);
        Assert.Equal(HttpStatusCode.NotFound, await AgentStatusAsync(a));
        Assert.Equal(HttpStatusCode.NotFound, await AgentStatusAsync(b));
    }

    [Fact]
    public async Task Apply_DryRun_Json_WithoutExtension_IsReadAsJson()
    {
        var agent = Name("plan-json");
        var spec = Spec("plan-spec", JsonSerializer.Serialize(new { name = Name("planj"), agents = new[] { new { name = agent, image = Image } } }));
        using var cli = Cli();

        var result = await cli.RunAsync("provision", "apply", "-f", spec, "--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(agent, result.Out);
        Assert.Equal(HttpStatusCode.NotFound, await AgentStatusAsync(agent));
    }

    [Fact]
    public async Task Apply_Wait_WakesEveryAgent_ThenListAndShowTellTheRun()
    {
        var run = Name("fleet");
        var (a, b) = (Name("fleet-a"), Name("fleet-b"));
        var spec = Spec("fleet.yml", Yaml(run, "keep", (a, Image), (b, Image)));
        using var cli = Cli();

        var apply = await cli.RunAsync("provision", "apply", "--file", spec, "--wait", "--timeout", "120");

        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        Assert.Contains("Succeeded", apply.Out);
        // One line per step change; polling may see Created and Woken or only Woken, never no change at all.
        Assert.Contains(apply.Error.Split('\n'), l => l.Trim().StartsWith($"{a}: ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("→ Woken", StringComparison.Ordinal));
        Assert.Contains(apply.Error.Split('\n'), l => l.Trim().StartsWith($"{b}: ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("→ Woken", StringComparison.Ordinal));
        Assert.Contains("run: Running → Succeeded", apply.Error);
        var id = StartedRunId(apply);
        Assert.Equal("Succeeded", (await RunAsync(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, await AgentStatusAsync(a));

        var list = await cli.RunAsync("provision", "list");
        var listJson = await cli.RunAsync("provision", "list", "-o", "json");
        var show = await cli.RunAsync("provision", "show", run);
        var showJson = await cli.RunAsync("provision", "show", id.ToString(), "--output", "json");

        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        var row = Assert.Single(list.Out.Split('\n'), l => l.Contains(run));
        Assert.Contains("Succeeded", row);
        Assert.Contains(id.ToString(), row);
        using (var doc = JsonDocument.Parse(listJson.Out))
            Assert.Contains(doc.RootElement.EnumerateArray(), r => r.GetProperty("name").GetString() == run);
        Assert.True(show.ExitCode == ExitCodes.Ok, show.ToString());
        Assert.Contains(id.ToString(), show.Out);
        Assert.Single(show.Out.Split('\n'), l => l.Contains(a) && l.Contains("Woken"));
        Assert.Single(show.Out.Split('\n'), l => l.Contains(b) && l.Contains("Woken"));
        using (var doc = JsonDocument.Parse(showJson.Out))
        {
            Assert.Equal(id, doc.RootElement.GetProperty("id").GetGuid());
            Assert.Equal(2, doc.RootElement.GetProperty("ledger").GetArrayLength());
        }
    }

    [Fact]
    public async Task Apply_Wait_AgentThatCannotStart_Exit1WithTheRunsError()
    {
        var agent = Name("crash");
        var spec = Spec("crash.yaml", Yaml(Name("crashing"), "keep", (agent, BrokenImage)));
        using var cli = Cli();

        var result = await cli.RunAsync("provision", "apply", "-f", spec, "--wait", "--timeout", "120");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("is Failed: 1 agent(s) failed", result.Error);
        Assert.Single(result.Out.Split('\n'), l => l.Contains(agent) && l.Contains("Failed"));
        Assert.Equal("Failed", (await RunAsync(StartedRunId(result))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Apply_Wait_OnATerminal_DrawsAProgressBarPerAgent()
    {
        var (a, b) = (Name("bars-a"), Name("bars-b"));
        var spec = Spec("bars.yaml", Yaml(Name("bars"), "keep", (a, Image), (b, Image)));
        using var cli = Cli();
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output, Error = error, In = new StringReader(""), Variable = v => cli.Variables.GetValueOrDefault(v),
            InteractiveInput = true, InteractiveOutput = true,
        };

        var code = await CliApp.RunAsync(["provision", "apply", "-f", spec, "--wait", "--timeout", "120"], env, CancellationToken.None);

        var result = new CliResult(code, output.ToString(), error.ToString());
        Assert.True(code == ExitCodes.Ok, result.ToString());
        // The bars are drawn on standard output (not the line-per-change text of a pipe), labelled with each agent's step.
        Assert.DoesNotContain("→ Woken", result.Error);
        var drawn = System.Text.RegularExpressions.Regex.Replace(result.Out, @"\x1b\[[0-9;?]*[A-Za-z]", ""); // without colours and cursor moves
        Assert.True(drawn.Contains($"{a} Woken") && drawn.Contains($"{b} Woken"), result.ToString());
        Assert.Contains("Succeeded: every agent is woken", result.Out);
    }

    [Fact]
    public async Task Apply_AsViewer_Exit5()
    {
        var agent = Name("viewer");
        var spec = Spec("viewer.yaml", Yaml(Name("viewer-run"), "keep", (agent, Image)));
        using var cli = new CliRun(server: app.Address, token: await app.CreateTokenAsync(Cutover.Core.Domain.Role.Viewer));

        var apply = await cli.RunAsync("provision", "apply", "-f", spec);
        var list = await cli.RunAsync("provision", "list");

        Assert.Equal(ExitCodes.Unauthorized, apply.ExitCode);
        Assert.Contains("role does not allow this", apply.Error);
        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        Assert.Equal(HttpStatusCode.NotFound, await AgentStatusAsync(agent));
    }

    [Fact]
    public async Task Apply_BadSpec_Exit2NamingTheField()
    {
        var agent = Name("bad");
        var spec = Spec("bad.yaml", $"name: {Name("bad-run")}\nagents:\n  - name: {agent}\n    image: registry.local/nowhere/unrun:1.0\n");
        using var cli = Cli();

        var result = await cli.RunAsync("provision", "apply", "-f", spec);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Invalid provisioning spec:", result.Error);
        Assert.Contains("agents[0].image: The runtime does not run the image", result.Error);
        Assert.Equal(HttpStatusCode.NotFound, await AgentStatusAsync(agent));
    }

    [Fact]
    public async Task Apply_MissingFile_Exit2()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("provision", "apply", "-f", Path.Combine(_specs, "absent.yaml"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("No spec file", result.Error);
    }

    [Fact]
    public async Task Teardown_PromptRefused_KeepsTheAgents_PromptAnswered_TearsThemDown()
    {
        var run = Name("gone");
        var agent = Name("gone-a");
        var spec = Spec("gone.yaml", Yaml(run, "keep", (agent, Image)));
        using var cli = Cli();
        var apply = await cli.RunAsync("provision", "apply", "-f", spec, "--wait", "--timeout", "120");
        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        var id = StartedRunId(apply);

        var refused = await cli.RunAsync(["provision", "teardown", run], input: "n\n");

        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains($"stops and deletes 1 agent(s): {agent}", refused.Error);
        Assert.Contains("Not torn down.", refused.Error);
        Assert.Equal("Succeeded", (await RunAsync(id)).GetProperty("status").GetString());

        var answered = await cli.RunAsync(["provision", "teardown", id.ToString(), "--wait", "--timeout", "120"], input: "y\n");

        Assert.True(answered.ExitCode == ExitCodes.Ok, answered.ToString());
        Assert.Contains("Tear down?", answered.Error);
        Assert.Contains("is TornDown", answered.Out);
        var final = await RunAsync(id);
        Assert.Equal("TornDown", final.GetProperty("status").GetString());
        Assert.All(final.GetProperty("ledger").EnumerateArray(), r => Assert.Equal("TornDown", r.GetProperty("step").GetString()));
        using var admin = app.Http();
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/agents/by-name/{agent}"));
        Assert.NotEqual(JsonValueKind.Null, doc.RootElement.GetProperty("deletedAt").ValueKind);
    }

    [Fact]
    public async Task Teardown_Wait_OfAFailedRun_FollowsItToTornDown()
    {
        var agent = Name("failed");
        var spec = Spec("failed.yaml", Yaml(Name("failed-run"), "keep", (agent, BrokenImage)));
        using var cli = Cli();
        var apply = await cli.RunAsync("provision", "apply", "-f", spec, "--wait", "--timeout", "120");
        Assert.Equal(ExitCodes.Failed, apply.ExitCode);
        var id = StartedRunId(apply);

        // The run is Failed before the teardown and may end Failed again: the wait must not stop at the first read.
        var teardown = await cli.RunAsync("provision", "teardown", id.ToString(), "--yes", "--wait", "--timeout", "120");

        Assert.True(teardown.ExitCode == ExitCodes.Ok, teardown.ToString());
        Assert.Contains($"{agent}: Failed → TornDown", teardown.Error);
        Assert.Equal("TornDown", (await RunAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Teardown_UnknownRun_Exit4()
    {
        using var cli = Cli();

        var byName = await cli.RunAsync("provision", "teardown", "no-such-run", "--yes");
        var byId = await cli.RunAsync("provision", "show", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.NotFound, byName.ExitCode);
        Assert.Contains("No provisioning run named 'no-such-run'", byName.Error);
        Assert.Equal(ExitCodes.NotFound, byId.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_specs, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
