using Cutover.Cli;

namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>
/// Runs the real CLI in process through its entry point (<see cref="CliApp.RunAsync"/>) with its own standard
/// streams, environment variables and config folder (a temp HOME and XDG_CONFIG_HOME per instance).
/// </summary>
public sealed class CliRun : IDisposable
{
    public CliRun(string? server = null, string? token = null)
    {
        Home = Path.Combine(Path.GetTempPath(), "cutover-cli-home", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        Variables["HOME"] = Home;
        Variables["XDG_CONFIG_HOME"] = Path.Combine(Home, "config");
        if (server is not null) Variables["CUTOVER_SERVER"] = server;
        if (token is not null) Variables["CUTOVER_TOKEN"] = token;
    }

    public string Home { get; }

    public string ConfigFile => Path.Combine(Home, "config", "cutover", "config.json");

    public Dictionary<string, string> Variables { get; } = new();

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, input: "");

    public async Task<CliResult> RunAsync(string[] args, string input, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, Environment(output, error, new StringReader(input)), cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public CliEnvironment Environment(TextWriter output, TextWriter error, TextReader input) => new()
    {
        Out = output,
        Error = error,
        In = input,
        Variable = name => Variables.GetValueOrDefault(name),
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
