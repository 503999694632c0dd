using Spectre.Console;

namespace Cutover.Cli;

/// <summary>
/// Everything the CLI takes from its surroundings: standard streams, environment variables, the config folder and
/// whether a person sits at a terminal. The process uses the real ones; tests pass writers, a reader and a dictionary.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public required Func<string, string?> Variable { get; init; }

    /// <summary>True when standard input is a terminal: the token prompt then hides what is typed.</summary>
    public bool InteractiveInput { get; init; }

    /// <summary>True when standard output is a terminal: tables get colour and the terminal's width.</summary>
    public bool InteractiveOutput { get; init; }

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        Variable = Environment.GetEnvironmentVariable,
        InteractiveInput = !Console.IsInputRedirected,
        InteractiveOutput = !Console.IsOutputRedirected,
    };

    /// <summary>$XDG_CONFIG_HOME/cutover, else ~/.config/cutover.</summary>
    public string ConfigDirectory
    {
        get
        {
            var xdg = Variable("XDG_CONFIG_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "cutover");
            var home = Variable("HOME");
            if (string.IsNullOrWhiteSpace(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".config", "cutover");
        }
    }

    /// <summary>A Spectre console over <see cref="Out"/>: plain text and a wide fixed width when not a terminal.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = InteractiveOutput ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = InteractiveOutput ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractiveInput && InteractiveOutput ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!InteractiveOutput) console.Profile.Width = 200;
        return console;
    }
}
