using System.CommandLine;
using Cutover.Cli.Api;
using Cutover.Cli.Output;

namespace Cutover.Cli.Commands;

/// <summary><c>logs AGENT DEPLOYMENT</c> (alias <c>output</c>): the last lines the deployment's process wrote.</summary>
public static class LogsCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = DeploymentCommands.AgentArgument();
        var deployment = DeploymentCommands.DeploymentArgument();
        var output = OutputFormat.Create();
        var command = new Command("logs", "Show the recent output (stdout and stderr) of a deployment's process run by Cutover's runtime.")
        {
            agent, deployment, output,
        };
        command.Aliases.Add("output");
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(deployment)!,
            ctx.Parse.GetValue(output)!, ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string agentName, string deploymentText, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
        var d = await Lookup.DeploymentAsync(client, agent, deploymentText, cancellationToken);
        var json = await client.GetAsync<System.Text.Json.JsonElement>($"api/agents/{agent.Id}/deployments/{d.Id}/output", cancellationToken);
        if (output == OutputFormat.Json)
        {
            OutputFormat.WriteJson(ctx.Env.Out, json);
            return ExitCodes.Ok;
        }

        var log = System.Text.Json.JsonSerializer.Deserialize<DeploymentOutput>(json, CutoverClient.Json)!;
        foreach (var line in log.Lines) await ctx.Env.Out.WriteLineAsync(line);
        var state = log.Status switch
        {
            "Running" => $"running (pid {log.ProcessId})",
            "Exited" => $"exited with code {log.ExitCode}",
            _ => "not run by this Cutover's runtime",
        };
        await ctx.Env.Error.WriteLineAsync($"-- {Lookup.Short(d.Id)} {d.DockerImage}: {state}; {log.Lines.Count} of {log.Total} lines shown");
        return ExitCodes.Ok;
    }
}
