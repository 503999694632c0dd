using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.Api;
using Cutover.Cli.Live;
using Cutover.Cli.Output;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>watch [AGENT] [--json]</c>: every status change as it is committed, one line each, until interrupted (Ctrl+C
/// ends it with exit 0). The hub sends agent ids; names are looked up once per agent.
/// </summary>
public static class WatchCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = new Argument<string?>("AGENT") { Description = "Only this agent's changes (default: every agent).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (the hub's message plus agentName)." };
        var command = new Command("watch", "Print live status changes, one line each, until interrupted.") { agent, json };
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent), ctx.Parse.GetValue(json), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string? agentName, bool json, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var names = new Dictionary<Guid, string>();
        AgentView? only = null;
        if (agentName is not null)
        {
            only = (await Lookup.AgentAsync(client, agentName, cancellationToken)).Agent;
            names[only.Id] = only.Name;
        }

        await using var live = await StatusStream.ConnectAsync(client.Target, reconnect: true, cancellationToken);
        live.Connection.Reconnecting += _ => ctx.Env.Error.WriteLineAsync("Connection lost; reconnecting…");
        live.Connection.Reconnected += async _ =>
        {
            if (only is not null) await live.SubscribeAsync(only.Id, CancellationToken.None);
            await ctx.Env.Error.WriteLineAsync("Reconnected (changes made meanwhile are not shown).");
        };
        if (only is not null) await live.SubscribeAsync(only.Id, cancellationToken);
        await ctx.Env.Error.WriteLineAsync($"Watching {(only is null ? "every agent" : only.Name)} on {client.Target.Key} (Ctrl+C to stop).");
        await ctx.Env.Error.FlushAsync(cancellationToken);

        try
        {
            await foreach (var change in live.Changes.ReadAllAsync(cancellationToken))
            {
                var name = await NameAsync(client, names, change.AgentId, cancellationToken);
                await ctx.Env.Out.WriteLineAsync(json ? Json(change, name) : Line(change, name));
                await ctx.Env.Out.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        return ExitCodes.Ok;
    }

    /// <summary>"2026-12-04 01:02:03Z support-bot production 1a2b3c4d: 9f8e7d6c → 1a2b3c4d #12".</summary>
    public static string Line(StatusChangeView c, string agentName) =>
        $"{OutputFormat.Time(c.At)} {agentName} {c.Field}{(c.DeploymentId is { } d ? " " + Lookup.Short(d) : "")}: {Value(c.From)} → {Value(c.To)} #{c.Sequence}";

    private static string Json(StatusChangeView c, string agentName) => JsonSerializer.Serialize(new
    {
        c.AgentId, agentName, c.DeploymentId, c.Field, c.From, c.To, c.Sequence, c.At,
    }, CutoverClient.Json);

    private static string Value(string? v) => string.IsNullOrEmpty(v) ? "-" : Guid.TryParse(v, out var g) ? Lookup.Short(g) : v;

    private static async Task<string> NameAsync(CutoverClient client, Dictionary<Guid, string> names, Guid agentId, CancellationToken cancellationToken)
    {
        if (names.TryGetValue(agentId, out var name)) return name;
        try
        {
            name = (await client.GetAsync<AgentView>($"api/agents/{agentId}", cancellationToken)).Name;
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.NotFound)
        {
            name = Lookup.Short(agentId);
        }

        return names[agentId] = name;
    }
}
