using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Cutover.Core.Results;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Sources;

/// <summary>
/// Git access through the git CLI. Each source has a bare clone cached under <see cref="CacheRoot"/>; every sync
/// fetches the source's branch into it incrementally (a force-push is followed too). The access token travels in an
/// HTTP header passed through the environment (never the command line, the URL or the clone's config), prompts are
/// off, and only file, http(s) and git transports are allowed. Anything git cannot do is a failure result carrying
/// git's own words, never an exception.
/// </summary>
public sealed partial class GitCli(string cacheRoot, TimeSpan timeout, ILogger<GitCli> logger)
{
    private const string HeadRef = "refs/cutover/head";
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public string CacheRoot { get; } = cacheRoot;

    public string CloneOf(Guid sourceId) => Path.Combine(CacheRoot, sourceId.ToString("N"));

    /// <summary>
    /// Fetches <paramref name="source"/>'s branch and resolves <paramref name="commit"/> (null: the branch head) to a
    /// commit that is in the clone.
    /// </summary>
    public async Task<Outcome<GitCommit>> ResolveAsync(Source source, string? accessToken, string? commit, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(source.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dir = CloneOf(source.Id);
            if (!File.Exists(Path.Combine(dir, "HEAD")))
            {
                Directory.CreateDirectory(dir);
                var init = await RunAsync(dir, null, cancellationToken, "init", "--bare", "--quiet").ConfigureAwait(false);
                if (init.Failure is { } f) return f;
            }

            var fetched = await RunAsync(dir, accessToken, cancellationToken,
                "fetch", "--quiet", "--no-tags", "--force", "--", source.RepoUrl, $"+refs/heads/{source.Branch}:{HeadRef}").ConfigureAwait(false);
            if (fetched.Failure is { } fetchFailure)
            {
                return Unavailable(fetchFailure.Detail.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase)
                    ? $"The repository has no branch '{source.Branch}'."
                    : $"Could not fetch {source.RepoUrl}: {fetchFailure.Detail}");
            }

            var target = commit ?? HeadRef;
            var found = await RunAsync(dir, null, cancellationToken, "rev-parse", "--verify", "--quiet", "--end-of-options", target + "^{commit}").ConfigureAwait(false);
            if (found.Failure is not null && commit is not null)
            {
                // A commit that is no longer on the branch (force-pushed away) can still be fetched by its id.
                await RunAsync(dir, accessToken, cancellationToken, "fetch", "--quiet", "--no-tags", "--", source.RepoUrl, commit).ConfigureAwait(false);
                found = await RunAsync(dir, null, cancellationToken, "rev-parse", "--verify", "--quiet", "--end-of-options", target + "^{commit}").ConfigureAwait(false);
            }

            if (found.Failure is not null) return Failure.NotFound($"Commit {commit} is not in {source.RepoUrl}.");
            var sha = found.Output.Trim();
            var info = await RunAsync(dir, null, cancellationToken, "log", "-1", "--format=%an <%ae>%n%s", sha, "--").ConfigureAwait(false);
            if (info.Failure is { } infoFailure) return infoFailure;
            var lines = info.Output.Split('\n', 2);
            return new GitCommit(sha, lines.Length > 1 ? lines[1].TrimEnd('\n') : "", lines[0]);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The text of <paramref name="path"/> at <paramref name="sha"/> (which <see cref="ResolveAsync"/> returned).</summary>
    public async Task<Outcome<string>> ReadFileAsync(Guid sourceId, string sha, string path, CancellationToken cancellationToken)
    {
        var shown = await RunAsync(CloneOf(sourceId), null, cancellationToken, "show", "--end-of-options", $"{sha}:{path}").ConfigureAwait(false);
        if (shown.Failure is { } f)
        {
            return f.Detail.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || f.Detail.Contains("exists on disk", StringComparison.OrdinalIgnoreCase)
                ? Failure.NotFound($"The manifest '{path}' does not exist at commit {sha[..Math.Min(12, sha.Length)]}.")
                : f;
        }

        return shown.Output;
    }

    /// <summary>Removes a deleted source's clone.</summary>
    public void Forget(Guid sourceId)
    {
        var dir = CloneOf(sourceId);
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException e)
        {
            LogForgetFailed(logger, e, dir);
        }
        catch (UnauthorizedAccessException e)
        {
            LogForgetFailed(logger, e, dir);
        }
    }

    private async Task<(string Output, Failure? Failure)> RunAsync(string dir, string? accessToken, CancellationToken cancellationToken,
        params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(dir);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "";
        start.Environment["SSH_ASKPASS"] = "";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_ALLOW_PROTOCOL"] = "file:http:https:git";
        start.Environment["LC_ALL"] = "C";
        if (!string.IsNullOrEmpty(accessToken))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{accessToken}"));
            start.Environment["GIT_CONFIG_COUNT"] = "1";
            start.Environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            start.Environment["GIT_CONFIG_VALUE_0"] = $"Authorization: Basic {basic}";
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ("", Unavailable($"git could not be started: {e.Message}"));
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) throw;
                return ("", Unavailable($"git {args[0]} did not finish within {timeout.TotalSeconds:0} s."));
            }

            var output = await stdout.ConfigureAwait(false);
            var error = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode == 0) return (output, null);
            LogGitFailed(logger, args[0], process.ExitCode, error);
            return ("", Unavailable(error.Length > 0 ? error : $"git {args[0]} exited with code {process.ExitCode}."));
        }
    }

    private static Failure Unavailable(string detail) => new(FailureKind.Unavailable, "Repository unavailable", detail);

    [LoggerMessage(LogLevel.Debug, "git {Command} exited with {ExitCode}: {Error}")]
    private static partial void LogGitFailed(ILogger logger, string command, int exitCode, string error);

    [LoggerMessage(LogLevel.Warning, "Could not remove the clone {Dir}")]
    private static partial void LogForgetFailed(ILogger logger, Exception e, string dir);
}
