using System.CommandLine;
using Cutover.Cli.Api;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>promote AGENT DEPLOYMENT</c>. Without <c>--yes</c> it shows from → to, as the dashboard's dialog does, and asks.
/// Either way it sends the production deployment it saw as <c>expectedProductionDeploymentId</c>, so a promote by
/// someone else in between is a 409 that names who is production now, never an overwrite.
/// </summary>
public static class PromoteCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = DeploymentCommands.AgentArgument();
        var deployment = DeploymentCommands.DeploymentArgument();
        var reason = DeploymentCommands.ReasonOption();
        var yes = DeploymentCommands.YesOption();
        var guard = new GuardOptions();
        var command = new Command("promote", "Make a Ready deployment the agent's production deployment (with --guard, watched and reverted on trouble).")
        {
            agent, deployment, reason, yes,
        };
        guard.AddTo(command);
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(deployment)!,
            ctx.Parse.GetValue(reason), ctx.Parse.GetValue(yes), guard, ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string agentName, string deploymentText, string? reason, bool yes, GuardOptions guardOptions,
        CancellationToken cancellationToken)
    {
        var guard = guardOptions.Read(ctx.Parse);
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var target = await Lookup.DeploymentAsync(client, agent, deploymentText, cancellationToken);
        var current = agent.ProductionDeploymentId is { } currentId
            ? await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{currentId}", cancellationToken)
            : null;

        if (current?.Id == target.Id)
        {
            await ctx.Env.Out.WriteLineAsync($"{DeploymentCommands.Describe(target)} is already production of {agent.Name}.");
            return ExitCodes.Ok;
        }

        if (!yes)
        {
            await ctx.Env.Error.WriteLineAsync($"Promote {agent.Name}:");
            await ctx.Env.Error.WriteLineAsync($"  from {DeploymentCommands.Describe(current)}");
            await ctx.Env.Error.WriteLineAsync($"  to   {DeploymentCommands.Describe(target)}");
            if (guardOptions.Describe(ctx.Parse) is { } watched) await ctx.Env.Error.WriteLineAsync($"  guard: {watched}");
            if (!await ctx.ConfirmAsync("Promote?", cancellationToken))
            {
                await ctx.Env.Error.WriteLineAsync("Not promoted.");
                return ExitCodes.Failed;
            }
        }

        var promoted = await Conflicts.NamingProductionAsync(client, agent, () => client.PostAsync<DeploymentView>(
            $"api/agents/{agent.Id}/deployments/{target.Id}/promote",
            new { reason, expectedProductionDeploymentId = current?.Id, guard }, cancellationToken), cancellationToken);
        await ctx.Env.Out.WriteLineAsync($"Promoted {agent.Name}: {DeploymentCommands.Describe(current)} → {DeploymentCommands.Describe(promoted)}");
        if (guard is not null) await ctx.Env.Out.WriteLineAsync($"A guard watches it: 'cutover guard show {agent.Name}'.");
        return ExitCodes.Ok;
    }
}
