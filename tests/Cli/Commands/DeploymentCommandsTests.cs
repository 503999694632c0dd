using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary>agents, deployments, deploy, promote, rollback against the real app; each test uses its own agent.</summary>
public sealed class DeploymentCommandsTests(CliAppFactory app) : IClassFixture<CliAppFactory>
{
    private CliRun Cli() => new(server: app.Address, token: CliAppFactory.AdminToken);

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task AgentsList_Table_ShowsEachAgentWithHealthAndProduction()
    {
        using var admin = app.Http();
        var name = Name("list");
        var (_, deploymentId) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/list:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("agents", "list", "--query", name);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var row = Assert.Single(result.Out.Split('\n'), l => l.Contains(name));
        Assert.Contains(deploymentId.ToString("N")[^8..], row);
        Assert.Contains("Unknown", row);
    }

    [Fact]
    public async Task AgentsList_Json_IsTheApiAgents()
    {
        using var admin = app.Http();
        var name = Name("json");
        var (agentId, deploymentId) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/json:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("agents", "list", "-q", name, "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var agent = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(agentId, agent.GetProperty("id").GetGuid());
        Assert.Equal(name, agent.GetProperty("name").GetString());
        Assert.Equal(deploymentId, agent.GetProperty("productionDeploymentId").GetGuid());
    }

    [Fact]
    public async Task AgentsShow_PrintsTheAgentAndItsDeployments()
    {
        using var admin = app.Http();
        var name = Name("show");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/show:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/show:2.0");
        using var cli = Cli();

        var result = await cli.RunAsync("agents", "show", name);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(agentId.ToString(), result.Out);
        Assert.Contains(first.ToString("N")[^8..], result.Out);
        Assert.Contains(second.ToString("N")[^8..], result.Out);
        Assert.Contains("registry.local/cli/show:2.0", result.Out);
    }

    [Fact]
    public async Task AgentsShow_UnknownAgent_Exit4WithTheProblemDetail()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("agents", "show", "no-such-agent");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("Not found: No agent named 'no-such-agent'.", result.Error);
    }

    [Fact]
    public async Task AgentsList_UnknownHealth_Exit2NamingTheField()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("agents", "list", "--health", "Sideways");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Invalid request:", result.Error);
        Assert.Contains("health", result.Error);
    }

    [Fact]
    public async Task DeploymentIdPart_AmbiguousOrUnknown_SaysSo()
    {
        using var admin = app.Http();
        var name = Name("part");
        // Two ids that share their last 8 characters: a part must be unique to name one.
        var shared = Guid.NewGuid().ToString("N")[^12..];
        var first = Guid.Parse(Guid.NewGuid().ToString("N")[..20] + shared);
        var second = Guid.Parse(Guid.NewGuid().ToString("N")[..20] + shared);
        foreach (var id in new[] { first, second })
        {
            var response = await admin.PostAsJsonAsync("api/agents/register", new
            {
                name, acpUrl = "http://127.0.0.1:9/rpc", registrationMetadata = new { deploymentId = id, dockerImage = "registry.local/cli/part:1.0" },
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        using var cli = Cli();

        var ambiguous = await cli.RunAsync("promote", name, shared[^8..], "--yes");
        var unique = await cli.RunAsync("promote", name, second.ToString("N")[..12], "--yes");
        var unknown = await cli.RunAsync("promote", name, "ffffeeee0000", "--yes");

        Assert.Equal(ExitCodes.Usage, ambiguous.ExitCode);
        Assert.Contains("matches 2 deployments", ambiguous.Error);
        Assert.True(unique.ExitCode == ExitCodes.Ok, unique.ToString());
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
    }

    [Fact]
    public async Task DeploymentsList_TableAndJson_NewestFirst()
    {
        using var admin = app.Http();
        var name = Name("deps");
        var (_, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/deps:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/deps:2.0");
        using var cli = Cli();

        var table = await cli.RunAsync("deployments", "list", name);
        var json = await cli.RunAsync("deployments", "list", name, "-o", "json");

        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        var firstRow = Assert.Single(table.Out.Split('\n'), l => l.Contains(first.ToString("N")[^8..]));
        Assert.Contains("*", firstRow); // the first registered deployment became production
        Assert.True(table.Out.IndexOf(second.ToString("N")[^8..], StringComparison.Ordinal) < table.Out.IndexOf(first.ToString("N")[^8..], StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal([second, first], doc.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToArray());
    }

    [Fact]
    public async Task Deploy_WithoutWait_CreatesAPendingDeployment()
    {
        using var admin = app.Http();
        var name = Name("deploy");
        var (agentId, _) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/deploy:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("deploy", name, "--image", "registry.local/cli/deploy:2.0");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Pending", result.Out);
        var list = await admin.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments");
        Assert.Contains(list.EnumerateArray(), d => d.GetProperty("dockerImage").GetString() == "registry.local/cli/deploy:2.0"
            && d.GetProperty("status").GetString() == "Pending");
    }

    [Fact]
    public async Task Deploy_BadImage_Exit2NamingTheField()
    {
        using var admin = app.Http();
        var name = Name("badimg");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/bad:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("deploy", name, "--image", "NOT A VALID IMAGE");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Invalid request:", result.Error);
    }

    [Fact]
    public async Task Deploy_Wait_ReturnsWhenTheRealSampleAgentIsReady_AndLogsShowItsOutput()
    {
        using var admin = app.Http();
        var name = Name("wait");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/wait:1.0");
        using var cli = Cli();

        var deploy = await cli.RunAsync("deploy", name, "--image", "cutover/sample-agent:1.0", "--wait", "--timeout", "60");

        Assert.True(deploy.ExitCode == ExitCodes.Ok, deploy.ToString());
        Assert.Contains("Pending → Ready", deploy.Error);
        Assert.Contains("is Ready", deploy.Out);
        var id = deploy.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

        var logs = await cli.RunAsync("logs", name, id[^8..]);
        Assert.True(logs.ExitCode == ExitCodes.Ok, logs.ToString());
        Assert.Contains("running (pid", logs.Error);
        Assert.False(string.IsNullOrWhiteSpace(logs.Out), logs.ToString());

        var json = await cli.RunAsync("output", name, id, "-o", "json");
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("Running", doc.RootElement.GetProperty("status").GetString());
        Assert.True(doc.RootElement.GetProperty("lines").GetArrayLength() > 0);
    }

    [Fact]
    public async Task StopThenStart_RealSampleAgent_StoppedThenReadyAgain_ProductionRefusedWithExit3()
    {
        using var admin = app.Http();
        var name = Name("stop");
        var (agentId, production) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/stop:1.0");
        using var cli = Cli();
        var deploy = await cli.RunAsync("deploy", name, "--image", "cutover/sample-agent:1.0", "--wait", "--timeout", "60");
        Assert.True(deploy.ExitCode == ExitCodes.Ok, deploy.ToString());
        var id = deploy.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

        var stop = await cli.RunAsync("stop", name, id[^8..], "--reason", "not today");
        var listed = await cli.RunAsync("deployments", "list", name);
        var prod = await cli.RunAsync("stop", name, production.ToString("N")[^8..]);
        var start = await cli.RunAsync("start", name, id[^8..]);

        Assert.True(stop.ExitCode == ExitCodes.Ok, stop.ToString());
        Assert.Contains("Stopped " + name, stop.Out);
        Assert.Contains("(Stopped)", stop.Out);
        Assert.Contains("Stopped: by token:bootstrap", Assert.Single(listed.Out.Split('\n'), l => l.Contains(id[^8..])));
        Assert.Equal(ExitCodes.Conflict, prod.ExitCode);
        Assert.Contains("production deployment cannot be stopped", prod.Error);
        Assert.True(start.ExitCode == ExitCodes.Ok, start.ToString());
        Assert.Contains("Starting " + name, start.Out);
        // Started again, it registers again: Ready within the ready timeout (re-read until then).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await admin.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{id}", deadline.Token)).GetProperty("status").GetString() != "Ready")
            await Task.Delay(100, deadline.Token);
    }

    [Fact]
    public async Task Deploy_Wait_ImageThatFailsToStart_Exit1WithTheReason()
    {
        using var admin = app.Http();
        var name = Name("fail");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/fail:1.0");
        using var cli = Cli();

        var deploy = await cli.RunAsync("deploy", name, "--image", "cutover/sample-agent:2.1-broken", "--wait", "--timeout", "60");

        Assert.Equal(ExitCodes.Failed, deploy.ExitCode);
        Assert.Contains("failed:", deploy.Error);
    }

    [Fact]
    public async Task Promote_Yes_MovesProductionWithTheReason()
    {
        using var admin = app.Http();
        var name = Name("promy");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/p:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/p:2.0");
        using var cli = Cli();

        var result = await cli.RunAsync("promote", name, second.ToString("N")[^8..], "--reason", "release 2.0", "--yes");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains($"{first.ToString("N")[^8..]} registry.local/cli/p:1.0 (Ready) → {second.ToString("N")[^8..]} registry.local/cli/p:2.0 (Ready)", result.Out);
        Assert.Equal(second, await ApiSeed.ProductionAsync(admin, agentId));
        var events = await admin.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("reason").GetString() == "release 2.0");
    }

    [Fact]
    public async Task Promote_ConfirmationAnsweredYes_ShowsFromAndTo_ThenPromotes()
    {
        using var admin = app.Http();
        var name = Name("promc");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/c:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/c:2.0");
        using var cli = Cli();

        var result = await cli.RunAsync(["promote", name, second.ToString()], "y\n");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains($"from {first.ToString("N")[^8..]} registry.local/cli/c:1.0 (Ready)", result.Error);
        Assert.Contains($"to   {second.ToString("N")[^8..]} registry.local/cli/c:2.0 (Ready)", result.Error);
        Assert.Contains("Promote? [y/N]", result.Error);
        Assert.Equal(second, await ApiSeed.ProductionAsync(admin, agentId));
    }

    [Fact]
    public async Task Promote_ConfirmationRefused_ChangesNothing()
    {
        using var admin = app.Http();
        var name = Name("promn");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/n:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/n:2.0");
        using var cli = Cli();

        var refused = await cli.RunAsync(["promote", name, second.ToString()], "n\n");
        var noAnswer = await cli.RunAsync(["promote", name, second.ToString()], "");

        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("Not promoted.", refused.Error);
        Assert.Equal(ExitCodes.Failed, noAnswer.ExitCode);
        Assert.Equal(first, await ApiSeed.ProductionAsync(admin, agentId));
    }

    [Fact]
    public async Task Promote_SomeoneElsePromotedWhileTheQuestionWasOpen_Exit3NamingProductionNow()
    {
        using var admin = app.Http();
        var name = Name("stale");
        var (agentId, _) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/s:1.0");
        var (_, mine) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/s:2.0");
        var (_, theirs) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/s:3.0");
        using var cli = Cli();
        var input = new GatedReader();
        var output = new StringWriter();
        var error = new StringWriter();

        var run = CliApp.RunAsync(["promote", name, mine.ToString()], cli.Environment(output, error, input), CancellationToken.None);
        await input.Asked.WaitAsync(TimeSpan.FromSeconds(10));
        await ApiSeed.PromoteAsync(admin, agentId, theirs);
        input.Answer("yes");
        var code = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(code == ExitCodes.Conflict, $"exit {code}\n{output}\n{error}");
        Assert.Contains($"Production of {name} is now {theirs.ToString("N")[^8..]} registry.local/cli/s:3.0 (Ready)", error.ToString());
        Assert.Equal(theirs, await ApiSeed.ProductionAsync(admin, agentId));
    }

    [Fact]
    public async Task Promote_PendingDeployment_Exit3WithTheServersReason()
    {
        using var admin = app.Http();
        var name = Name("pend");
        var (agentId, _) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/pe:1.0");
        var created = await admin.PostAsJsonAsync($"api/agents/{agentId}/deployments", new { dockerImage = "registry.local/cli/pe:2.0" });
        var pending = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var cli = Cli();

        var result = await cli.RunAsync("promote", name, pending.ToString(), "--yes");

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
        Assert.Contains("Pending", result.Error);
    }

    [Fact]
    public async Task Rollback_ConfirmedAndWithYes_ReturnsToThePreviousProduction()
    {
        using var admin = app.Http();
        var name = Name("roll");
        var (agentId, first) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/r:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/r:2.0");
        await ApiSeed.PromoteAsync(admin, agentId, second);
        using var cli = Cli();

        var refused = await cli.RunAsync(["rollback", name], "no\n");
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains($"to   {first.ToString("N")[^8..]} registry.local/cli/r:1.0", refused.Error);
        Assert.Equal(second, await ApiSeed.ProductionAsync(admin, agentId));

        var confirmed = await cli.RunAsync(["rollback", name, "--reason", "2.0 is slow"], "y\n");
        Assert.True(confirmed.ExitCode == ExitCodes.Ok, confirmed.ToString());
        Assert.Equal(first, await ApiSeed.ProductionAsync(admin, agentId));

        var back = await cli.RunAsync("rollback", name, "--to", second.ToString("N")[^8..], "--yes");
        Assert.True(back.ExitCode == ExitCodes.Ok, back.ToString());
        Assert.Equal(second, await ApiSeed.ProductionAsync(admin, agentId));
    }

    [Fact]
    public async Task Rollback_NothingToReturnTo_Exit4()
    {
        using var admin = app.Http();
        var name = Name("noroll");
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/nr:1.0");
        using var cli = Cli();

        var result = await cli.RunAsync("rollback", name, "--yes");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("no earlier production deployment", result.Error);
    }

    [Fact]
    public async Task ViewerToken_CannotPromote_Exit5()
    {
        using var admin = app.Http();
        var name = Name("viewer");
        var (_, _) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/v:1.0");
        var (_, second) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/v:2.0");
        using var cli = new CliRun(server: app.Address, token: await app.CreateTokenAsync(Cutover.Core.Domain.Role.Viewer));

        var result = await cli.RunAsync("promote", name, second.ToString(), "--yes");

        Assert.Equal(ExitCodes.Unauthorized, result.ExitCode);
    }
}
