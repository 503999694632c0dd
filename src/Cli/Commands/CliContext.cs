using System.CommandLine;
using Cutover.Cli.Api;
using Cutover.Cli.Config;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>What every command's action gets: the environment, a console for tables, the config, the server.</summary>
public sealed class CliContext(CliEnvironment env, ParseResult parse)
{
    public CliEnvironment Env { get; } = env;

    public ParseResult Parse { get; } = parse;

    public IAnsiConsole Console { get; } = env.CreateConsole();

    public ConfigStore Store { get; } = new(env.ConfigDirectory);

    public ServerTarget Target() => ServerTarget.Resolve(Parse.GetValue(CliApp.Server), Env, Store.Load());

    /// <summary>A client for the resolved server that requires a token (the usual case).</summary>
    public CutoverClient Client()
    {
        var target = Target();
        target.RequireToken();
        return new CutoverClient(target);
    }

    /// <summary>Wraps a command body so it can be given to <c>SetAction</c>.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(CliEnvironment env, Func<CliContext, CancellationToken, Task<int>> body) =>
        (parse, cancellationToken) => body(new CliContext(env, parse), cancellationToken);

    /// <summary>Asks a yes/no question on standard error and reads the answer from standard input (no answer is no).</summary>
    public async Task<bool> ConfirmAsync(string question, CancellationToken cancellationToken)
    {
        await Env.Error.WriteAsync(question + " [y/N] ");
        await Env.Error.FlushAsync(cancellationToken);
        var answer = await Env.In.ReadLineAsync(cancellationToken);
        // A typed answer ends the line on a terminal; a piped one (or none) does not.
        if (answer is null || !Env.InteractiveInput) await Env.Error.WriteLineAsync();
        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
