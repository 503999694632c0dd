using System.CommandLine;
using Cutover.Cli.Api;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>rollback AGENT [--to DEPLOYMENT]</c>. Without <c>--to</c> the server's own choice (the previous production
/// deployment that can still serve) is read first, shown and then named in the call, so what was confirmed is what
/// happens; <c>expectedProductionDeploymentId</c> guards against a promote in between.
/// </summary>
public static class RollbackCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = DeploymentCommands.AgentArgument();
        var to = new Option<string?>("--to") { Description = "The deployment to return to (default: the previous production deployment)." };
        var reason = DeploymentCommands.ReasonOption();
        var yes = DeploymentCommands.YesOption();
        var guard = new GuardOptions();
        var command = new Command("rollback", "Return production to the previous (or the named) deployment.") { agent, to, reason, yes };
        guard.AddTo(command);
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(to),
            ctx.Parse.GetValue(reason), ctx.Parse.GetValue(yes), guard, ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string agentName, string? toText, string? reason, bool yes, GuardOptions guardOptions,
        CancellationToken cancellationToken)
    {
        var guard = guardOptions.Read(ctx.Parse);
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var current = agent.ProductionDeploymentId is { } currentId
            ? await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{currentId}", cancellationToken)
            : null;
        var target = toText is not null
            ? await Lookup.DeploymentAsync(client, agent, toText, cancellationToken)
            : await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/rollback/target", cancellationToken);

        if (!yes)
        {
            await ctx.Env.Error.WriteLineAsync($"Roll back {agent.Name}:");
            await ctx.Env.Error.WriteLineAsync($"  from {DeploymentCommands.Describe(current)}");
            await ctx.Env.Error.WriteLineAsync($"  to   {DeploymentCommands.Describe(target)}");
            if (guardOptions.Describe(ctx.Parse) is { } watched) await ctx.Env.Error.WriteLineAsync($"  guard: {watched}");
            if (!await ctx.ConfirmAsync("Roll back?", cancellationToken))
            {
                await ctx.Env.Error.WriteLineAsync("Not rolled back.");
                return ExitCodes.Failed;
            }
        }

        var done = await Conflicts.NamingProductionAsync(client, agent, () => client.PostAsync<DeploymentView>($"api/agents/{agent.Id}/rollback",
            new { toDeploymentId = target.Id, reason, expectedProductionDeploymentId = current?.Id, guard }, cancellationToken), cancellationToken);
        await ctx.Env.Out.WriteLineAsync($"Rolled back {agent.Name}: {DeploymentCommands.Describe(current)} → {DeploymentCommands.Describe(done)}");
        return ExitCodes.Ok;
    }
}
