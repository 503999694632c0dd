using System.CommandLine;
using Cutover.Cli.Api;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary><c>login</c>, <c>logout</c>, <c>whoami</c>. The token is checked with the server before it is stored, and never printed.</summary>
public static class LoginCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the token from standard input (one line) instead of a prompt." };
        var login = new Command("login", "Check a token with the server and store it (config file readable by you only). "
            + "The token comes from CUTOVER_TOKEN, --token-stdin or a prompt.");
        login.Options.Add(tokenStdin);
        login.SetAction(CliContext.Action(env, (ctx, ct) => LoginAsync(ctx, ctx.Parse.GetValue(tokenStdin), ct)));

        var logout = new Command("logout", "Forget the stored token of the server.");
        logout.SetAction(CliContext.Action(env, (ctx, _) => Task.FromResult(Logout(ctx))));

        var whoami = new Command("whoami", "Show who the token acts as, with which role, on which server.");
        whoami.SetAction(CliContext.Action(env, WhoAmIAsync));
        return [login, logout, whoami];
    }

    private static async Task<int> LoginAsync(CliContext ctx, bool fromStdin, CancellationToken cancellationToken)
    {
        var config = ctx.Store.Load();
        var server = ServerTarget.Resolve(ctx.Parse.GetValue(CliApp.Server), ctx.Env, config).Server;
        var token = await ReadTokenAsync(ctx, fromStdin, cancellationToken);

        var target = new ServerTarget(server, token);
        using var client = new CutoverClient(target);
        var me = await client.GetAsync<Caller>("api/me", cancellationToken);

        config.Server = target.Key;
        config.Tokens[target.Key] = token;
        ctx.Store.Save(config);
        await ctx.Env.Out.WriteLineAsync($"Logged in to {target.Key} as {Describe(me)}. Token stored in {ctx.Store.FilePath}.");
        return ExitCodes.Ok;
    }

    private static async Task<string> ReadTokenAsync(CliContext ctx, bool fromStdin, CancellationToken cancellationToken)
    {
        string? token;
        if (ctx.Env.Variable(ServerTarget.TokenVariable) is { Length: > 0 } fromVariable) token = fromVariable;
        else if (!fromStdin && ctx.Env.InteractiveInput)
            token = AnsiConsole.Prompt(new TextPrompt<string>("Token:").Secret());
        else
        {
            if (!fromStdin) await ctx.Env.Error.WriteAsync("Token: ");
            token = await ctx.Env.In.ReadLineAsync(cancellationToken);
        }

        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
            throw new CliException(ExitCodes.Usage, "No token given: type it at the prompt, pipe it with --token-stdin, or set CUTOVER_TOKEN.");
        return token;
    }

    private static int Logout(CliContext ctx)
    {
        var config = ctx.Store.Load();
        var target = ServerTarget.Resolve(ctx.Parse.GetValue(CliApp.Server), ctx.Env, config);
        var removed = config.Tokens.Remove(target.Key);
        if (config.Server == target.Key) config.Server = config.Tokens.Keys.FirstOrDefault();
        ctx.Store.Save(config);
        ctx.Env.Out.WriteLine(removed ? $"Logged out of {target.Key}." : $"No token was stored for {target.Key}.");
        return ExitCodes.Ok;
    }

    private static async Task<int> WhoAmIAsync(CliContext ctx, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var me = await client.GetAsync<Caller>("api/me", cancellationToken);
        await ctx.Env.Out.WriteLineAsync($"{Describe(me)} on {client.Target.Key}");
        return ExitCodes.Ok;
    }

    private static string Describe(Caller me) => me.Kind switch
    {
        "user" => $"user '{me.Name}' ({me.Role ?? "no role"})",
        _ => $"token '{me.Name}' ({me.Role ?? "no role"})",
    };
}
