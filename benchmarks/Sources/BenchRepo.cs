using System.Diagnostics;

namespace Cutover.Benchmarks.Sources;

/// <summary>A git repository in a folder, driven with the git CLI.</summary>
internal sealed class BenchRepo
{
    public BenchRepo(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "--quiet", "-b", "main");
        Git("config", "user.name", "Bench");
        Git("config", "user.email", "bench@example.com");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    public string Commit(string manifest, string message)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "cutover.yaml"), manifest);
        Git("add", "cutover.yaml");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed");
        return output;
    }
}
