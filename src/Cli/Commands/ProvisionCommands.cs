using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cutover.Cli.Api;
using Cutover.Cli.Output;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>provision apply -f spec.yaml [--dry-run] [--wait]</c>, <c>provision list</c>, <c>provision show RUN</c> and
/// <c>provision teardown RUN [--yes]</c>. The spec goes to the server as written (YAML or JSON, told by the file's
/// extension, else by its first character), so the server's validation names the field of any problem. Runs are not
/// published on the status hub, so <c>--wait</c> reads the run every <see cref="ServerPoll.Interval"/> and shows each
/// agent's step (a progress bar per agent on a terminal, a line per change otherwise).
/// </summary>
public static partial class ProvisionCommands
{
    public static Command Build(CliEnvironment env)
    {
        var provision = new Command("provision", "Provisioning runs: create a set of agents together, follow them, tear them down.");

        var file = new Option<FileInfo>("--file", "-f") { Description = "The spec: YAML (.yaml, .yml) or JSON (.json).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan; create nothing." };
        var wait = WaitOption("Wait until every agent is woken or the run fails.");
        var timeout = TimeoutOption();
        var apply = new Command("apply", "Start a provisioning run from a spec.") { file, dryRun, wait, timeout };
        apply.SetAction(CliContext.Action(env, (ctx, ct) => ApplyAsync(ctx, ctx.Parse.GetValue(file)!, ctx.Parse.GetValue(dryRun),
            ctx.Parse.GetValue(wait), ctx.Parse.GetValue(timeout), ct)));

        var output = OutputFormat.Create();
        var list = new Command("list", "List provisioning runs, newest first.") { output };
        list.SetAction(CliContext.Action(env, (ctx, ct) => ListAsync(ctx, ctx.Parse.GetValue(output)!, ct)));

        var showRun = RunArgument();
        var showOutput = OutputFormat.Create();
        var show = new Command("show", "Show a run and its ledger.") { showRun, showOutput };
        show.SetAction(CliContext.Action(env, (ctx, ct) => ShowAsync(ctx, ctx.Parse.GetValue(showRun)!, ctx.Parse.GetValue(showOutput)!, ct)));

        var teardownRun = RunArgument();
        var yes = DeploymentCommands.YesOption();
        var teardownWait = WaitOption("Wait until every agent of the run is torn down.");
        var teardownTimeout = TimeoutOption();
        var teardown = new Command("teardown", "Stop and delete every agent a run created.") { teardownRun, yes, teardownWait, teardownTimeout };
        teardown.SetAction(CliContext.Action(env, (ctx, ct) => TeardownAsync(ctx, ctx.Parse.GetValue(teardownRun)!, ctx.Parse.GetValue(yes),
            ctx.Parse.GetValue(teardownWait), ctx.Parse.GetValue(teardownTimeout), ct)));

        provision.Subcommands.Add(apply);
        provision.Subcommands.Add(list);
        provision.Subcommands.Add(show);
        provision.Subcommands.Add(teardown);
        return provision;
    }

    private static Argument<string> RunArgument() => new("RUN") { Description = "The run's id, or its name (the newest run of that name)." };

    private static Option<bool> WaitOption(string description) => new("--wait", "-w") { Description = description };

    private static Option<int> TimeoutOption() =>
        new("--timeout") { Description = "Seconds --wait waits at most (default 600).", DefaultValueFactory = _ => 600 };

    private static async Task<int> ApplyAsync(CliContext ctx, FileInfo file, bool dryRun, bool wait, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (timeoutSeconds < 1) throw new CliException(ExitCodes.Usage, "--timeout must be at least 1 second.");
        if (!file.Exists) throw new CliException(ExitCodes.Usage, $"No spec file at {file.FullName}.");
        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        var yaml = IsYaml(file, text);
        if (dryRun) text = yaml ? WithYamlDryRun(text) : WithJsonDryRun(text);

        using var client = ctx.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/provisioning/runs")
        {
            Content = new StringContent(text, Encoding.UTF8, yaml ? "application/yaml" : "application/json"),
        };
        RunView run;
        try
        {
            run = (await client.SendAsync(request, cancellationToken)).Deserialize<RunView>(CutoverClient.Json)!;
        }
        catch (CliException e) when (e.Problem is { } problem && Errors(problem) is { Length: > 0 } errors)
        {
            // Every refused field, one line each, so the spec can be fixed in one go.
            throw new CliException(e.ExitCode, e.Message + Environment.NewLine + errors, problem);
        }

        if (run.DryRun)
        {
            await ctx.Env.Out.WriteLineAsync($"Plan for run {run.Name} (nothing created; maxConcurrent {run.MaxConcurrent}, onFailure {run.OnFailure}):");
            WriteLedger(ctx, run);
            return ExitCodes.Ok;
        }

        await ctx.Env.Out.WriteLineAsync($"Started run {run.Id} ({run.Name}) with {run.Ledger.Count} agent(s): {run.Status}");
        if (!wait) return ExitCodes.Ok;
        var final = await FollowAsync(ctx, client, run, r => r.Settled, "Provisioning", timeoutSeconds, cancellationToken);
        WriteLedger(ctx, final);
        if (final.Status == "Succeeded")
        {
            await ctx.Env.Out.WriteLineAsync($"Run {final.Id} ({final.Name}) Succeeded: every agent is woken.");
            return ExitCodes.Ok;
        }

        throw new CliException(ExitCodes.Failed, $"Run {final.Id} ({final.Name}) is {final.Status}: {final.Error ?? "see the ledger"}");
    }

    private static async Task<int> ListAsync(CliContext ctx, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var items = await client.GetAsync<List<JsonElement>>("api/provisioning/runs", cancellationToken);
        if (await OutputFormat.WroteJsonOrNothingAsync(ctx.Env.Out, output, items, "No provisioning runs.")) return ExitCodes.Ok;

        var table = new Table().AddColumns("ID", "NAME", "STATUS", "AGENTS", "CREATED", "ENDED", "ERROR");
        foreach (var r in items.Select(i => i.Deserialize<RunView>(CutoverClient.Json)!))
            table.AddRow(r.Id?.ToString() ?? "-", Markup.Escape(r.Name), r.Status, r.Ledger.Count.ToString(), OutputFormat.Time(r.CreatedAt),
                OutputFormat.Time(r.EndedAt), Markup.Escape(r.Error ?? ""));
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CliContext ctx, string runText, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (run, json) = await FindAsync(client, runText, cancellationToken);
        if (output == OutputFormat.Json)
        {
            OutputFormat.WriteJson(ctx.Env.Out, json);
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(key, Markup.Escape(value ?? "-"));
        Row("Name", run.Name);
        Row("Id", run.Id?.ToString());
        Row("Status", run.Status);
        Row("On failure", run.OnFailure);
        Row("Max concurrent", run.MaxConcurrent.ToString());
        Row("Created", OutputFormat.Time(run.CreatedAt));
        Row("Ended", OutputFormat.Time(run.EndedAt));
        Row("Error", run.Error);
        ctx.Console.Write(grid);
        ctx.Console.WriteLine();
        WriteLedger(ctx, run);
        return ExitCodes.Ok;
    }

    private static async Task<int> TeardownAsync(CliContext ctx, string runText, bool yes, bool wait, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (timeoutSeconds < 1) throw new CliException(ExitCodes.Usage, "--timeout must be at least 1 second.");
        using var client = ctx.Client();
        var (run, _) = await FindAsync(client, runText, cancellationToken);
        if (!yes)
        {
            var agents = run.Ledger.Where(r => r.Step != "TornDown").Select(r => r.AgentName).ToList();
            await ctx.Env.Error.WriteLineAsync($"Tear down run {run.Name} ({run.Id}, {run.Status}):");
            await ctx.Env.Error.WriteLineAsync(agents.Count == 0
                ? "  no agent left to remove"
                : $"  stops and deletes {agents.Count} agent(s): {string.Join(", ", agents)}");
            if (!await ctx.ConfirmAsync("Tear down?", cancellationToken))
            {
                await ctx.Env.Error.WriteLineAsync("Not torn down.");
                return ExitCodes.Failed;
            }
        }

        var begun = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/provisioning/runs/{run.Id}"), cancellationToken);
        var started = begun.Deserialize<RunView>(CutoverClient.Json)!;
        await ctx.Env.Out.WriteLineAsync($"Teardown of run {started.Id} ({started.Name}) requested.");
        if (!wait) return ExitCodes.Ok;
        var final = await FollowAsync(ctx, client, started, r => r.TeardownSettled(started.Sequence), "Tearing down", timeoutSeconds, cancellationToken);
        WriteLedger(ctx, final);
        if (final.Status == "TornDown")
        {
            await ctx.Env.Out.WriteLineAsync($"Run {final.Id} ({final.Name}) is TornDown.");
            return ExitCodes.Ok;
        }

        throw new CliException(ExitCodes.Failed, $"Teardown of run {final.Id} ({final.Name}) ended {final.Status}: {final.Error ?? "see the ledger"}");
    }

    /// <summary>A run by id, or the newest run of that name.</summary>
    private static async Task<(RunView Run, JsonElement Json)> FindAsync(CutoverClient client, string idOrName, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(idOrName, out var id))
        {
            var json = await client.GetAsync<JsonElement>($"api/provisioning/runs/{id}", cancellationToken);
            return (json.Deserialize<RunView>(CutoverClient.Json)!, json);
        }

        var all = await client.GetAsync<List<JsonElement>>("api/provisioning/runs", cancellationToken);
        foreach (var json in all)
        {
            var run = json.Deserialize<RunView>(CutoverClient.Json)!;
            if (run.Name == idOrName) return (run, json);
        }

        throw new CliException(ExitCodes.NotFound, $"Not found: No provisioning run named '{idOrName}'.");
    }

    /// <summary>Reads the run until <paramref name="settled"/>: progress bars per agent on a terminal, a line per change otherwise.</summary>
    private static async Task<RunView> FollowAsync(CliContext ctx, CutoverClient client, RunView run, Func<RunView, bool> settled, string doing,
        int timeoutSeconds, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        Task<RunView> Read(CancellationToken ct) => client.GetAsync<RunView>($"api/provisioning/runs/{run.Id}", ct);
        try
        {
            if (ctx.Env.InteractiveOutput)
            {
                return await ctx.Console.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var bars = run.Ledger.ToDictionary(r => r.AgentName, r => progress.AddTask(Markup.Escape(r.AgentName), maxValue: 2));
                        return await ServerPoll.UntilAsync(Read, settled, now =>
                        {
                            foreach (var row in now.Ledger)
                            {
                                if (!bars.TryGetValue(row.AgentName, out var bar)) continue;
                                bar.Value = Progress(row.Step, doing);
                                bar.Description = $"{Markup.Escape(row.AgentName)} [grey]{row.Step}[/]";
                                if (row.Step is "Failed") bar.Description = $"[red]{Markup.Escape(row.AgentName)} Failed[/]";
                            }

                            return Task.CompletedTask;
                        }, timeout.Token);
                    });
            }

            await ctx.Env.Error.WriteLineAsync($"{doing} run {run.Name}…");
            var seen = run.Ledger.ToDictionary(r => r.AgentName, r => r.Step);
            var status = run.Status;
            return await ServerPoll.UntilAsync(Read, settled, async now =>
            {
                foreach (var row in now.Ledger)
                {
                    var before = seen.GetValueOrDefault(row.AgentName, "Pending");
                    if (before == row.Step) continue;
                    seen[row.AgentName] = row.Step;
                    await ctx.Env.Error.WriteLineAsync($"  {row.AgentName}: {before} → {row.Step}{(row.Error is null ? "" : $" ({row.Error})")}");
                }

                if (now.Status != status) await ctx.Env.Error.WriteLineAsync($"  run: {status} → {now.Status}");
                status = now.Status;
            }, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Failed, $"Timed out after {timeoutSeconds} s: run {run.Id} ({run.Name}) has not settled.");
        }
    }

    /// <summary>Steps as progress out of 2: provisioning goes Pending → Created → Woken; a teardown ends TornDown.</summary>
    private static double Progress(string step, string doing) => step switch
    {
        "Created" => 1,
        "Woken" => doing == "Provisioning" ? 2 : 1,
        "Failed" or "TornDown" => 2,
        _ => 0,
    };

    private static void WriteLedger(CliContext ctx, RunView run)
    {
        var table = new Table().AddColumns("AGENT", "IMAGE", "STEP", "AGENT ID", "DEPLOYMENT", "ERROR");
        foreach (var r in run.Ledger)
            table.AddRow(Markup.Escape(r.AgentName), Markup.Escape(r.Image), r.Step, r.AgentId?.ToString() ?? "-", Lookup.Short(r.DeploymentId),
                Markup.Escape(r.Error ?? ""));
        ctx.Console.Write(table);
    }

    /// <summary>The problem's <c>errors</c> (field → problems), one "  field: problem" line each; empty when it has none.</summary>
    private static string Errors(ApiProblem problem)
    {
        if (problem.Body.ValueKind != JsonValueKind.Object || !problem.Body.TryGetProperty("errors", out var errors)
            || errors.ValueKind != JsonValueKind.Object) return "";
        var lines = new List<string>();
        foreach (var field in errors.EnumerateObject())
        {
            var details = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(d => d.ToString()) : [field.Value.ToString()];
            lines.AddRange(details.Select(d => $"  {field.Name}: {d}"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>YAML by extension (.yaml, .yml), JSON by extension (.json); otherwise JSON when the text starts with '{'.</summary>
    private static bool IsYaml(FileInfo file, string text) => file.Extension.ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => true,
        ".json" => false,
        _ => !text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('{'),
    };

    private static string WithJsonDryRun(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"Invalid request: the spec is not valid JSON ({e.Message}).");
        }

        if (node is not JsonObject spec) throw new CliException(ExitCodes.Usage, "Invalid request: the spec must be a JSON object.");
        spec["dryRun"] = true;
        return spec.ToJsonString();
    }

    /// <summary>
    /// Sets the top-level <c>dryRun</c> of a block-style YAML spec: rewrites its line when there is one, else adds
    /// one. A flow-style document (<c>{...}</c>) is JSON-shaped YAML and gets a key added after its brace.
    /// </summary>
    private static string WithYamlDryRun(string text)
    {
        if (TopLevelDryRun().IsMatch(text)) return TopLevelDryRun().Replace(text, "dryRun: true", 1);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('{')) return "{dryRun: true, " + trimmed[1..];
        return text.TrimEnd() + "\ndryRun: true\n";
    }

    [GeneratedRegex(@"^dryRun\s*:.*$", RegexOptions.Multiline)]
    private static partial Regex TopLevelDryRun();
}
