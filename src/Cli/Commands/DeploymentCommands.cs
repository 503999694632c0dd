using System.CommandLine;
using Cutover.Cli.Api;
using Cutover.Cli.Output;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary><c>deployments list</c>, <c>deploy</c>, <c>promote</c>, <c>rollback</c>.</summary>
public static class DeploymentCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        var output = OutputFormat.Create();
        var agentArg = AgentArgument();
        var includeDeleted = new Option<bool>("--include-deleted") { Description = "Also list soft-deleted deployments." };
        var list = new Command("list", "List an agent's deployments, newest first.") { agentArg, output, includeDeleted };
        list.SetAction(CliContext.Action(env, (ctx, ct) => ListAsync(ctx, ctx.Parse.GetValue(agentArg)!, ctx.Parse.GetValue(output)!,
            ctx.Parse.GetValue(includeDeleted), ct)));
        var deployments = new Command("deployments", "An agent's deployments.") { list };

        yield return deployments;
        yield return DeployCommand.Build(env);
        yield return PromoteCommand.Build(env);
        yield return RollbackCommand.Build(env);
    }

    public static Argument<string> AgentArgument() => new("AGENT") { Description = "The agent's name (or id)." };

    public static Argument<string> DeploymentArgument() =>
        new("DEPLOYMENT") { Description = "The deployment's id, or any unique part of it (tables show its last 8 characters)." };

    public static Option<string?> ReasonOption() => new("--reason", "-r") { Description = "Why: recorded on the timeline and in the audit log." };

    public static Option<bool> YesOption() => new("--yes", "-y") { Description = "Do not ask for confirmation." };

    private static async Task<int> ListAsync(CliContext ctx, string agentName, string output, bool includeDeleted, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var rows = await Lookup.DeploymentsAsync(client, agent.Id, includeDeleted, cancellationToken);
        if (output == OutputFormat.Json) OutputFormat.WriteJson(ctx.Env.Out, rows.Select(r => r.Json));
        else WriteTable(ctx, rows.Select(r => r.View).ToList());
        return ExitCodes.Ok;
    }

    public static void WriteTable(CliContext ctx, IReadOnlyList<DeploymentView> rows)
    {
        if (rows.Count == 0)
        {
            ctx.Env.Out.WriteLine("No deployments.");
            return;
        }

        var table = new Table().AddColumns("ID", "IMAGE", "STATUS", "HEALTH", "PROD", "CREATED", "PROMOTED");
        foreach (var d in rows)
            table.AddRow(Lookup.Short(d.Id), Markup.Escape(d.DockerImage), Markup.Escape(Status(d)), d.Health, d.IsProduction ? "*" : "",
                OutputFormat.Time(d.CreatedAt), OutputFormat.Time(d.PromotedAt));
        ctx.Console.Write(table);
    }

    /// <summary>One line for a deployment, as the confirmation shows it: "…1a2b3c4d cutover/sample-agent:2.0 (Ready)".</summary>
    public static string Describe(DeploymentView? d) => d is null ? "(none)" : $"{Lookup.Short(d.Id)} {d.DockerImage} ({d.Status})";

    private static string Status(DeploymentView d) =>
        (d.ExpiresAt is not null ? "Deleted " : "") + d.Status + (string.IsNullOrEmpty(d.StatusDetail) ? "" : $": {d.StatusDetail}");
}
