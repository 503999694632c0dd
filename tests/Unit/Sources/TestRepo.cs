using System.Diagnostics;

namespace Cutover.Tests.Unit.Sources;

/// <summary>A real git repository in a temp folder, driven with the git CLI: commit files, rewrite history, branch.</summary>
internal sealed class TestRepo : IDisposable
{
    public TestRepo(string branch = "main")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cutover-tests", "repo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Git("init", "--quiet", "-b", branch);
        Git("config", "user.name", "Ada Lovelace");
        Git("config", "user.email", "ada@example.com");
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
        return Head();
    }

    public string Head() => Git("rev-parse", "HEAD").Trim();

    /// <summary>Rewrites the branch as a force-push would: drops the last commit.</summary>
    public void DropLastCommit() => Git("reset", "--quiet", "--hard", "HEAD~1");

    /// <summary>A bare repository this one pushes to, as a hosted remote would be; returns its path.</summary>
    public string AddBareRemote()
    {
        var bare = Path + ".git";
        Directory.CreateDirectory(bare);
        RunGit(bare, "init", "--quiet", "--bare");
        Git("remote", "add", "origin", bare);
        return bare;
    }

    public void Push(bool force = false)
    {
        if (force) Git("push", "--quiet", "--force", "origin", "HEAD:refs/heads/main");
        else Git("push", "--quiet", "origin", "HEAD:refs/heads/main");
    }

    public void Checkout(string branch, bool create = false)
    {
        if (create) Git("checkout", "--quiet", "-b", branch);
        else Git("checkout", "--quiet", branch);
    }

    public string Git(params string[] args) => RunGit(Path, args);

    private static string RunGit(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
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
            if (Directory.Exists(Path + ".git")) Directory.Delete(Path + ".git", recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
