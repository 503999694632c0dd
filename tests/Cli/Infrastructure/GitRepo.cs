using System.Diagnostics;

namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>A real git repository in a temp folder, driven with the git CLI, for sources to sync from.</summary>
public sealed class GitRepo : IDisposable
{
    public GitRepo()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cutover-cli-tests", "repo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Git("init", "--quiet", "-b", "main");
        Git("config", "user.name", "Grace Hopper");
        Git("config", "user.email", "grace@example.com");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    public string FileUrl => new Uri(Path).AbsoluteUri;

    /// <summary>Writes <paramref name="relativePath"/> and commits it; returns the commit's SHA.</summary>
    public string Commit(string relativePath, string content, string message = "Update manifest")
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        Git("add", "--", relativePath);
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
