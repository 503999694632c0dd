namespace Cutover.Cli;

/// <summary>The documented exit codes (README "The cutover CLI" and <c>cutover --help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed: server unreachable, a 5xx, a deploy that failed, a prompt refused, a timeout.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or options, or input the server refused (400).</summary>
    public const int Usage = 2;

    /// <summary>409: the state changed (a stale confirmation, a deployment that is not Ready).</summary>
    public const int Conflict = 3;

    /// <summary>404 or 410: no such agent or deployment.</summary>
    public const int NotFound = 4;

    /// <summary>401 or 403: not logged in, a token refused (unknown, revoked, expired) or a role too low.</summary>
    public const int Unauthorized = 5;

    public const string HelpText = """
        Exit codes: 0 ok, 1 failed, 2 usage, 3 conflict (409), 4 not found (404/410), 5 unauthorized (401/403).
        Server and token: --server or CUTOVER_SERVER, CUTOVER_TOKEN, else the config file written by 'cutover login'.
        """;
}
