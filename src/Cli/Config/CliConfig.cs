namespace Cutover.Cli.Config;

/// <summary>
/// The config file: the server last logged in to and one token per server. A token is only ever sent to the server
/// it was stored for, so <c>--server</c> pointing elsewhere never leaks it.
/// </summary>
public sealed class CliConfig
{
    public string? Server { get; set; }

    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);
}
