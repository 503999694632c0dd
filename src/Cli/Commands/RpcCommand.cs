using System.CommandLine;
using System.Text;
using Cutover.Cli.Api;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>rpc AGENT [--deployment D] --data JSON|@file|-</c>: a JSON-RPC call through Cutover (production, or preview of
/// one deployment). The answer is written as it arrives, chunk by chunk, not after it ended.
/// </summary>
public static class RpcCommand
{
    public static Command Build(CliEnvironment env)
    {
        var agent = DeploymentCommands.AgentArgument();
        var deployment = new Option<string?>("--deployment", "-d") { Description = "Call this deployment (preview) instead of production." };
        var data = new Option<string>("--data") { Description = "The request body: JSON text, @FILE, or - for standard input.", Required = true };
        var command = new Command("rpc", "Send a JSON-RPC request to an agent through Cutover and stream the answer.") { agent, deployment, data };
        command.SetAction(CliContext.Action(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(agent)!, ctx.Parse.GetValue(deployment),
            ctx.Parse.GetValue(data)!, ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string agentName, string? deploymentText, string data, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(ctx, data, cancellationToken);
        using var client = ctx.Client();
        string path;
        if (deploymentText is null)
            path = Guid.TryParse(agentName, out var agentId) ? $"api/agents/{agentId}/rpc" : $"api/agents/by-name/{Uri.EscapeDataString(agentName)}/rpc";
        else
        {
            var (agent, _) = await Lookup.AgentAsync(client, agentName, cancellationToken);
            var d = await Lookup.DeploymentAsync(client, agent, deploymentText, cancellationToken);
            path = $"api/agents/{agent.Id}/deployments/{d.Id}/rpc";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.OpenAsync(request, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        var last = '\n';
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            await ctx.Env.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await ctx.Env.Out.FlushAsync(cancellationToken);
            last = buffer[read - 1];
        }

        if (last != '\n') await ctx.Env.Out.WriteLineAsync();
        await ctx.Env.Out.FlushAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static async Task<string> ReadBodyAsync(CliContext ctx, string data, CancellationToken cancellationToken)
    {
        if (data == "-") return await ctx.Env.In.ReadToEndAsync(cancellationToken);
        if (!data.StartsWith('@')) return data;
        var file = data[1..];
        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"Cannot read --data file '{file}': {e.Message}");
        }
    }
}
