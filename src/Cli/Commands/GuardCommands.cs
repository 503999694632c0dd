using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Cutover.Cli.Api;
using Cutover.Cli.Output;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary><c>guard show AGENT</c> and <c>guard abort AGENT</c> (API.md "Guarded promotion").</summary>
public static class GuardCommands
{
    public static Command Build(CliEnvironment env)
    {
        var guard = new Command("guard", "Show or stop the guard watching an agent's production deployment.");

        var agent = DeploymentCommands.AgentArgument();
        var output = OutputFormat.Create();
        var show = new Command("show", "Show the agent's latest guard: what it watches, what it has seen, its verdict.") { agent, output };
        show.SetAction(CliContext.Action(env, (ctx, ct) => ShowAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(output)!, ct)));

        var abortAgent = DeploymentCommands.AgentArgument();
        var reason = DeploymentCommands.ReasonOption();
        var yes = DeploymentCommands.YesOption();
        var abort = new Command("abort", "Stop watching; production stays as it is.") { abortAgent, reason, yes };
        abort.SetAction(CliContext.Action(env, (ctx, ct) => AbortAsync(ctx, ctx.Parse.GetValue(abortAgent)!, ctx.Parse.GetValue(reason),
            ctx.Parse.GetValue(yes), ct)));

        guard.Subcommands.Add(show);
        guard.Subcommands.Add(abort);
        return guard;
    }

    private static async Task<int> ShowAsync(CliContext ctx, string agentName, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var json = await client.GetAsync<JsonElement>($"api/agents/{agent.Id}/guard", cancellationToken);
        if (output == OutputFormat.Json)
        {
            OutputFormat.WriteJson(ctx.Env.Out, json);
            return ExitCodes.Ok;
        }

        var g = json.Deserialize<GuardView>(CutoverClient.Json)!;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(key, Markup.Escape(value ?? "-"));
        Row("Agent", agent.Name);
        Row("Status", g.Status);
        Row("Watching", g.DeploymentId.ToString());
        Row("Reverts to", g.PreviousDeploymentId?.ToString() ?? "(nothing: no earlier healthy production)");
        if (g.Settings is { } s)
            Row("Limits", $"{s.Window} · errors ≤ {Percent(s.MaxErrorRate)} over ≥ {s.MinRequests} calls" + (s.RequireHealthy ? " · must stay healthy" : ""));
        Row("Started", $"{OutputFormat.Time(g.StartedAt)}" + (g.StartedBy is null ? "" : $" by {g.StartedBy}"));
        Row(g.Status == "Watching" ? "Ends" : "Ended", OutputFormat.Time(g.Status == "Watching" ? g.EndsAt : g.EndedAt));
        Row("Evidence", $"{g.Evidence.Requests} calls · {g.Evidence.Errors} errors ({Percent(g.Evidence.ErrorRate)}) · health {g.Evidence.Health}");
        if (g.RevertedToDeploymentId is { } to) Row("Reverted to", to.ToString());
        Row("Reason", g.Reason);
        ctx.Console.Write(grid);
        return ExitCodes.Ok;
    }

    private static async Task<int> AbortAsync(CliContext ctx, string agentName, string? reason, bool yes, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        if (!yes)
        {
            await ctx.Env.Error.WriteLineAsync($"Stop the guard of {agent.Name}? Production stays as it is and nothing will revert it automatically.");
            if (!await ctx.ConfirmAsync("Stop watching?", cancellationToken))
            {
                await ctx.Env.Error.WriteLineAsync("Still watching.");
                return ExitCodes.Failed;
            }
        }

        var g = await client.PostAsync<GuardView>($"api/agents/{agent.Id}/guard/abort", new { reason }, cancellationToken);
        await ctx.Env.Out.WriteLineAsync($"Guard of {agent.Name} stopped ({g.Status}); production stays on {Lookup.Short(g.DeploymentId)}.");
        return ExitCodes.Ok;
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
