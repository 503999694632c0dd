using System.CommandLine;
using Cutover.Cli.Api;
using Cutover.Cli.Live;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>deploy AGENT --image IMAGE [--wait]</c>: creates a Pending deployment (the runtime starts it, or something
/// outside Cutover does). With <c>--wait</c> it listens on the status hub, subscribed before the create so no change
/// is missed, until the deployment is Ready (exit 0) or Failed (exit 1).
/// </summary>
public static class DeployCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = DeploymentCommands.AgentArgument();
        var image = new Option<string>("--image", "-i") { Description = "The image to run, e.g. cutover/sample-agent:2.0.", Required = true };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the deployment is Ready or Failed." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --wait waits at most (default 300).", DefaultValueFactory = _ => 300 };
        var command = new Command("deploy", "Create a new deployment of an agent.") { agent, image, wait, timeout };
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(image)!,
            ctx.Parse.GetValue(wait), ctx.Parse.GetValue(timeout), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string agentName, string image, bool wait, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (timeoutSeconds < 1) throw new CliException(ExitCodes.Usage, "--timeout must be at least 1 second.");
        using var client = ctx.Client();
        var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);

        await using var live = wait ? await StatusStream.ConnectAsync(client.Target, reconnect: false, cancellationToken) : null;
        if (live is not null) await live.SubscribeAsync(agent.Id, cancellationToken);

        var created = await client.PostAsync<DeploymentView>($"api/agents/{agent.Id}/deployments", new { dockerImage = image }, cancellationToken);
        await ctx.Env.Out.WriteLineAsync($"Created deployment {created.Id} of {agent.Name} ({created.DockerImage}): {created.Status}");
        if (live is null) return ExitCodes.Ok;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        string status;
        try
        {
            status = ctx.Env.InteractiveOutput
                ? await ctx.Console.Status().StartAsync($"Waiting for {Lookup.Short(created.Id)} to be Ready…",
                    _ => WaitAsync(ctx, client, agent, created, live, timeout.Token))
                : await WaitAsync(ctx, client, agent, created, live, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Failed, $"Timed out after {timeoutSeconds} s: deployment {created.Id} is still not Ready.");
        }

        var final = await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{created.Id}", cancellationToken);
        if (status == "Ready")
        {
            await ctx.Env.Out.WriteLineAsync($"Deployment {created.Id} is Ready{(final.IsProduction ? " (production)" : "")}.");
            return ExitCodes.Ok;
        }

        throw new CliException(ExitCodes.Failed, $"Deployment {created.Id} failed: {final.StatusDetail ?? "no detail"}.");
    }

    private static async Task<string> WaitAsync(CliContext ctx, CutoverClient client, AgentView agent, DeploymentView created, StatusStream live,
        CancellationToken cancellationToken)
    {
        if (!ctx.Env.InteractiveOutput) await ctx.Env.Error.WriteLineAsync($"Waiting for {Lookup.Short(created.Id)} to be Ready…");
        // The create's own answer may already be terminal (a runtime that failed at once).
        if (created.Status is "Ready" or "Failed") return created.Status;
        await foreach (var change in live.Changes.ReadAllAsync(cancellationToken))
        {
            if (change.DeploymentId != created.Id || change.Field != "deploymentStatus") continue;
            if (!ctx.Env.InteractiveOutput) await ctx.Env.Error.WriteLineAsync($"  {change.From} → {change.To}");
            if (change.To is "Ready" or "Failed") return change.To;
        }

        // The hub closed: read the state once rather than guess.
        var now = await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{created.Id}", cancellationToken);
        return now.Status is "Ready" or "Failed" ? now.Status
            : throw new CliException(ExitCodes.Failed, $"The live connection closed while deployment {created.Id} was {now.Status}.");
    }
}
