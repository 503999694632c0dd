using System.Text.Json;

namespace Cutover.Cli.Config;

/// <summary>
/// Reads and writes <c>config.json</c> in the config folder. The folder is 0700 and the file 0600 (created with
/// that mode, then moved into place), so no other user can read a token even for a moment.
/// </summary>
public sealed class ConfigStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FilePath => Path.Combine(directory, "config.json");

    public CliConfig Load()
    {
        if (!File.Exists(FilePath)) return new CliConfig();
        try
        {
            var config = JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(FilePath), Json) ?? new CliConfig();
            config.Tokens = new Dictionary<string, string>(config.Tokens ?? new(), StringComparer.Ordinal);
            return config;
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failed, $"The config file {FilePath} is not valid JSON ({e.Message}). Fix or delete it, then run 'cutover login'.");
        }
    }

    public void Save(CliConfig config)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(FilePath, JsonSerializer.Serialize(config, Json));
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = FilePath + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, config, Json);
            }

            File.Move(temp, FilePath, overwrite: true);
            // A file left by an older version (or by hand) with wider rights is narrowed too.
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
