using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.Api;
using Cutover.Cli.Output;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary><c>agents list</c> and <c>agents show AGENT</c>.</summary>
public static class AgentCommands
{
    private const int PageSize = 200;

    public static Command Build(CliEnvironment env)
    {
        var agents = new Command("agents", "List agents or show one.");

        var output = OutputFormat.Create();
        var query = new Option<string?>("--query", "-q") { Description = "Only agents whose name or description contains this." };
        var health = new Option<string?>("--health") { Description = "Only agents with this health (Healthy, Unhealthy, Unknown)." };
        var sync = new Option<string?>("--sync") { Description = "Only agents with this sync status (Synced, OutOfSync, Syncing, Unknown)." };
        var list = new Command("list", "List agents, by name.") { output, query, health, sync };
        list.SetAction(CliContext.Action(env, (ctx, ct) => ListAsync(ctx, ctx.Parse.GetValue(output)!, ctx.Parse.GetValue(query),
            ctx.Parse.GetValue(health), ctx.Parse.GetValue(sync), ct)));

        var showOutput = OutputFormat.Create();
        var agent = new Argument<string>("AGENT") { Description = "The agent's name (or id)." };
        var show = new Command("show", "Show an agent and its deployments.") { agent, showOutput };
        show.SetAction(CliContext.Action(env, (ctx, ct) => ShowAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(showOutput)!, ct)));

        agents.Subcommands.Add(list);
        agents.Subcommands.Add(show);
        return agents;
    }

    private static async Task<int> ListAsync(CliContext ctx, string output, string? query, string? health, string? sync, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var items = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var path = $"api/agents?page={page}&pageSize={PageSize}" + Param("q", query) + Param("health", health) + Param("sync", sync);
            var result = await client.GetAsync<AgentPage>(path, cancellationToken);
            items.AddRange(result.Items);
            if (result.Items.Count < PageSize || items.Count >= result.Total) break;
        }

        if (await OutputFormat.WroteJsonOrNothingAsync(ctx.Env.Out, output, items, "No agents.")) return ExitCodes.Ok;

        var table = new Table().AddColumns("NAME", "HEALTH", "SYNC", "PRODUCTION", "LAST SEEN", "DESCRIPTION");
        foreach (var a in items.Select(i => i.Deserialize<AgentView>(CutoverClient.Json)!))
            table.AddRow(Markup.Escape(a.Name), a.Health, a.Sync, Lookup.Short(a.ProductionDeploymentId), OutputFormat.Time(a.LastSeenAt),
                Markup.Escape(a.Description ?? ""));
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CliContext ctx, string name, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, json) = await Lookup.AgentAsync(client, name, cancellationToken);
        var deployments = await Lookup.DeploymentsAsync(client, agent.Id, includeDeleted: false, cancellationToken);
        if (output == OutputFormat.Json)
        {
            OutputFormat.WriteJson(ctx.Env.Out, new { agent = json, deployments = deployments.Select(d => d.Json) });
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(key, Markup.Escape(value ?? "-"));
        Row("Name", agent.Name);
        Row("Id", agent.Id.ToString());
        Row("Description", agent.Description);
        Row("Health", agent.Health);
        Row("Sync", agent.Sync);
        Row("Production", agent.ProductionDeploymentId?.ToString());
        Row("Legacy URL", agent.AcpUrl);
        Row("Last seen", OutputFormat.Time(agent.LastSeenAt));
        Row("Last error", agent.LastError);
        Row("Created", OutputFormat.Time(agent.CreatedAt));
        ctx.Console.Write(grid);
        ctx.Console.WriteLine();
        DeploymentCommands.WriteTable(ctx, deployments.Select(d => d.View).ToList());
        return ExitCodes.Ok;
    }

    private static string Param(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? "" : $"&{name}={Uri.EscapeDataString(value)}";
}
