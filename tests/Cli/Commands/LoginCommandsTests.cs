using Cutover.Cli;
using Cutover.Core.Domain;
using Cutover.Tests.Cli.Infrastructure;

namespace Cutover.Tests.Cli.Commands;

/// <summary>login, logout, whoami, the config file and the ways a server or token is refused.</summary>
public sealed class LoginCommandsTests(CliAppFactory app) : IClassFixture<CliAppFactory>
{
    [Fact]
    public async Task Login_TokenFromStdin_StoresItReadableByTheUserOnly_AndNeverPrintsIt()
    {
        using var cli = new CliRun();
        var token = await app.CreateTokenAsync(Role.Operator);

        var login = await cli.RunAsync(["login", "--server", app.Address, "--token-stdin"], token + "\n");

        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Contains($"Logged in to {app.Address}", login.Out);
        Assert.Contains("(Operator)", login.Out);
        Assert.DoesNotContain(token, login.Out + login.Error);
        Assert.True(File.Exists(cli.ConfigFile));
        Assert.False(OperatingSystem.IsWindows(), "These tests run on Linux (the file modes below are Unix ones).");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(Path.GetDirectoryName(cli.ConfigFile)!));
        }

        // The stored server and token serve the next command without --server.
        var whoami = await cli.RunAsync("whoami");
        Assert.True(whoami.ExitCode == ExitCodes.Ok, whoami.ToString());
        Assert.Contains("(Operator)", whoami.Out);
        Assert.Contains(app.Address, whoami.Out);
        Assert.DoesNotContain(token, whoami.Out + whoami.Error);
    }

    [Fact]
    public async Task Login_TokenAtThePrompt_IsReadFromStandardInput()
    {
        using var cli = new CliRun();
        var token = await app.CreateTokenAsync(Role.Viewer);

        var login = await cli.RunAsync(["login", "--server", app.Address], token + "\n");

        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Contains("Token:", login.Error);
        Assert.Contains("(Viewer)", login.Out);
    }

    [Fact]
    public async Task Login_WrongToken_Exit5AndNothingStored()
    {
        using var cli = new CliRun();

        var login = await cli.RunAsync(["login", "--server", app.Address, "--token-stdin"], "cut_not_a_real_token_000000000000000\n");

        Assert.Equal(ExitCodes.Unauthorized, login.ExitCode);
        Assert.Contains("Unauthorized", login.Error);
        Assert.Contains("cutover login", login.Error);
        Assert.False(File.Exists(cli.ConfigFile));
    }

    [Fact]
    public async Task Logout_ForgetsTheToken_ThenCommandsSayNotLoggedIn()
    {
        using var cli = new CliRun();
        var token = await app.CreateTokenAsync(Role.Viewer);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync(["login", "--server", app.Address, "--token-stdin"], token + "\n")).ExitCode);

        var logout = await cli.RunAsync("logout");
        var whoami = await cli.RunAsync("whoami", "--server", app.Address);

        Assert.True(logout.ExitCode == ExitCodes.Ok, logout.ToString());
        Assert.Contains($"Logged out of {app.Address}", logout.Out);
        Assert.DoesNotContain(token, File.ReadAllText(cli.ConfigFile));
        Assert.Equal(ExitCodes.Unauthorized, whoami.ExitCode);
        Assert.Contains("Not logged in", whoami.Error);
    }

    [Fact]
    public async Task EnvironmentVariables_ServeWithoutAConfigFile()
    {
        using var cli = new CliRun(server: app.Address, token: await app.CreateTokenAsync(Role.Admin));

        var whoami = await cli.RunAsync("whoami");

        Assert.True(whoami.ExitCode == ExitCodes.Ok, whoami.ToString());
        Assert.Contains("(Admin)", whoami.Out);
        Assert.False(File.Exists(cli.ConfigFile));
    }

    [Fact]
    public async Task StoredToken_IsNeverSentToAnotherServer()
    {
        using var cli = new CliRun();
        var token = await app.CreateTokenAsync(Role.Viewer);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync(["login", "--server", app.Address, "--token-stdin"], token + "\n")).ExitCode);

        var other = await cli.RunAsync("whoami", "--server", "http://127.0.0.1:1");

        Assert.Equal(ExitCodes.Unauthorized, other.ExitCode);
        Assert.Contains("Not logged in to http://127.0.0.1:1", other.Error);
    }

    [Fact]
    public async Task ExpiredToken_Exit5WithTheHint()
    {
        using var cli = new CliRun(server: app.Address, token: await app.CreateTokenAsync(Role.Admin, DateTime.UtcNow.AddMinutes(-5)));

        var list = await cli.RunAsync("agents", "list");

        Assert.Equal(ExitCodes.Unauthorized, list.ExitCode);
        Assert.Contains("expired", list.Error);
        Assert.Contains($"cutover login --server {app.Address}", list.Error);
    }

    [Fact]
    public async Task MalformedServerUrl_Exit2NamingIt()
    {
        using var cli = new CliRun(token: CliAppFactory.AdminToken);

        var result = await cli.RunAsync("agents", "list", "--server", "not a url");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'not a url' is not a server URL", result.Error);
    }

    [Fact]
    public async Task UnreachableServer_Exit1SayingSo()
    {
        // A port nothing listens on: bind one, note it, close it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var cli = new CliRun(server: $"http://127.0.0.1:{port}", token: CliAppFactory.AdminToken);

        var result = await cli.RunAsync("agents", "list");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains($"Cannot reach http://127.0.0.1:{port}", result.Error);
    }

    [Fact]
    public async Task UnknownOption_Exit2()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("agents", "list", "--no-such-option");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodes()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Exit codes: 0 ok, 1 failed, 2 usage, 3 conflict (409), 4 not found (404/410), 5 unauthorized (401/403)", result.Out);
    }
}
