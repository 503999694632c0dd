using System.CommandLine;
using Cutover.Cli.Api;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>stop AGENT DEPLOYMENT [--reason]</c> and <c>start AGENT DEPLOYMENT [--reason]</c>: a non-production
/// deployment's process ends (not routable until started) or starts again (Ready once it registers). Production is a
/// conflict (exit 3), as is a deployment whose process runs outside Cutover.
/// </summary>
public static class StopStartCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        yield return Build(env, "stop", "Stop a non-production deployment's process; its preview route answers 409 until it is started.");
        yield return Build(env, "start", "Start a stopped deployment again; it is Ready once it registers.");
    }

    private static Command Build(CliEnvironment env, string verb, string description)
    {
        var agent = DeploymentCommands.AgentArgument();
        var deployment = DeploymentCommands.DeploymentArgument();
        var reason = DeploymentCommands.ReasonOption();
        var command = new Command(verb, description) { agent, deployment, reason };
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, verb, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(deployment)!,
            ctx.Parse.GetValue(reason), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string verb, string agentName, string deploymentText, string? reason,
        CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var target = await Lookup.DeploymentAsync(client, agent, deploymentText, cancellationToken);
        var done = await client.PostAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{target.Id}/{verb}", new { reason }, cancellationToken);
        var what = verb == "stop" ? "Stopped" : done.Status == "Pending" ? "Starting" : "Already running";
        await ctx.Env.Out.WriteLineAsync($"{what} {agent.Name}: {DeploymentCommands.Describe(done)}");
        return ExitCodes.Ok;
    }
}
