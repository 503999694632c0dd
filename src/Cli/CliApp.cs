using System.CommandLine;
using Cutover.Cli.Commands;

namespace Cutover.Cli;

/// <summary>
/// Builds the command tree and runs one command line. Parse errors end with exit code 2; a command's expected
/// failure (<see cref="CliException"/>) prints its message to standard error and ends with its code.
/// </summary>
public static class CliApp
{
    /// <summary><c>--server URL</c> on every command (over CUTOVER_SERVER and the config file).</summary>
    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = "Cutover's URL (default: CUTOVER_SERVER, else the server of the last 'cutover login').",
        Recursive = true,
    };

    public static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("cutover: agents, deployments, promote (guarded), rollback, RPC, live status, git sources, provisioning runs and guards of a Cutover control plane."
            + Environment.NewLine + ExitCodes.HelpText);
        root.Options.Add(Server);
        foreach (var command in LoginCommands.Build(env)) root.Subcommands.Add(command);
        root.Subcommands.Add(AgentCommands.Build(env));
        foreach (var command in DeploymentCommands.Build(env)) root.Subcommands.Add(command);
        root.Subcommands.Add(RpcCommand.Build(env));
        root.Subcommands.Add(LogsCommand.Build(env));
        root.Subcommands.Add(WatchCommand.Build(env));
        root.Subcommands.Add(SourceCommands.Build(env));
        root.Subcommands.Add(ProvisionCommands.Build(env));
        root.Subcommands.Add(GuardCommands.Build(env));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken)
    {
        var root = Build(env);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await env.Error.WriteLineAsync(error.Message);
            await env.Error.WriteLineAsync("Run 'cutover --help' (or 'cutover COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (CliException e)
        {
            await env.Error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An unexpected failure is still one line, not a stack trace (messages never carry the token).
            await env.Error.WriteLineAsync($"Unexpected error ({e.GetType().Name}): {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
