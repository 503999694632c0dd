using Cutover.Cli.Config;

namespace Cutover.Cli.Api;

/// <summary>
/// Which server to talk to and with which token: <c>--server</c>, then <c>CUTOVER_SERVER</c>, then the config file's
/// server; the token from <c>CUTOVER_TOKEN</c>, else the one stored for exactly that server.
/// </summary>
public sealed record ServerTarget(Uri Server, string? Token)
{
    public const string ServerVariable = "CUTOVER_SERVER";
    public const string TokenVariable = "CUTOVER_TOKEN";

    /// <summary>The key a server's token is stored under: scheme, host, port and path, no trailing slash.</summary>
    public string Key => Normalize(Server);

    public static ServerTarget Resolve(string? serverOption, CliEnvironment env, CliConfig config)
    {
        var text = FirstSet(serverOption, env.Variable(ServerVariable), config.Server)
            ?? throw new CliException(ExitCodes.Unauthorized,
                "No server: run 'cutover login --server URL' or set CUTOVER_SERVER.");
        var server = ParseServer(text);
        var token = FirstSet(env.Variable(TokenVariable), config.Tokens.GetValueOrDefault(Normalize(server)));
        return new ServerTarget(server, token);
    }

    public static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new CliException(ExitCodes.Usage, $"'{text}' is not a server URL: give http://host[:port] or https://host[:port] (--server or CUTOVER_SERVER).");
        return new Uri(Normalize(uri) + "/");
    }

    public static string Normalize(Uri server) => server.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public string RequireToken() => Token ?? throw new CliException(ExitCodes.Unauthorized,
        $"Not logged in to {Key}: run 'cutover login --server {Key}' or set CUTOVER_TOKEN.");

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
