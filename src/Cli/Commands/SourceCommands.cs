using System.CommandLine;
using System.Text.Json;
using Cutover.Cli.Api;
using Cutover.Cli.Output;
using Spectre.Console;

namespace Cutover.Cli.Commands;

/// <summary>
/// <c>sources list</c> and <c>sources sync SOURCE [--commit SHA] [--wait]</c>. A sync goes through the server's one
/// sync entry (the Sync API); <c>--wait</c> follows that sync's entry in the source's history until it is Succeeded
/// or Failed (exit 1, printing the reason). Syncs are not published on the status hub, so the wait reads the
/// history every <see cref="ServerPoll.Interval"/>.
/// </summary>
public static class SourceCommands
{
    public static Command Build(CliEnvironment env)
    {
        var sources = new Command("sources", "Git sources: list them, sync one.");

        var output = OutputFormat.Create();
        var list = new Command("list", "List git sources, with their last sync.") { output };
        list.SetAction(CliContext.Action(env, (ctx, ct) => ListAsync(ctx, ctx.Parse.GetValue(output)!, ct)));

        var source = new Argument<string>("SOURCE") { Description = "The source's name (or id)." };
        var commit = new Option<string?>("--commit", "-c") { Description = "Sync this commit (a full or abbreviated SHA) instead of the branch head." };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the sync is Succeeded or Failed." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --wait waits at most (default 300).", DefaultValueFactory = _ => 300 };
        var sync = new Command("sync", "Sync a source now (its branch head, or --commit).") { source, commit, wait, timeout };
        sync.SetAction(CliContext.Action(env, (ctx, ct) => SyncAsync(ctx, ctx.Parse.GetValue(source)!, ctx.Parse.GetValue(commit),
            ctx.Parse.GetValue(wait), ctx.Parse.GetValue(timeout), ct)));

        sources.Subcommands.Add(list);
        sources.Subcommands.Add(sync);
        return sources;
    }

    private static async Task<int> ListAsync(CliContext ctx, string output, CancellationToken cancellationToken)
    {
        using var client = ctx.Client();
        var items = await client.GetAsync<List<JsonElement>>("api/sources", cancellationToken);
        if (await OutputFormat.WroteJsonOrNothingAsync(ctx.Env.Out, output, items, "No sources.")) return ExitCodes.Ok;

        var table = new Table().AddColumns("NAME", "STATUS", "BRANCH", "LAST COMMIT", "LAST SYNCED", "AGENTS", "REPOSITORY", "LAST ERROR");
        foreach (var s in items.Select(i => i.Deserialize<SourceView>(CutoverClient.Json)!).OrderBy(s => s.Name, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(s.Name), s.Status, Markup.Escape(s.Branch), ShortCommit(s.LastCommit), OutputFormat.Time(s.LastSyncedAt),
                s.Agents.Count.ToString(), Markup.Escape(s.RepoUrl), Markup.Escape(s.LastError ?? ""));
        ctx.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> SyncAsync(CliContext ctx, string sourceText, string? commit, bool wait, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (timeoutSeconds < 1) throw new CliException(ExitCodes.Usage, "--timeout must be at least 1 second.");
        using var client = ctx.Client();
        var source = await FindAsync(client, sourceText, cancellationToken);
        var accepted = await client.PostAsync<JsonElement>($"api/sources/{source.Id}/sync", new { commit }, cancellationToken);
        var syncId = accepted.GetProperty("syncId").GetGuid();
        await ctx.Env.Out.WriteLineAsync($"Sync {syncId} of {source.Name} requested ({(commit is null ? $"head of {source.Branch}" : $"commit {commit}")}).");
        if (!wait) return ExitCodes.Ok;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        SyncView final;
        try
        {
            final = ctx.Env.InteractiveOutput
                ? await ctx.Console.Status().StartAsync($"Syncing {Markup.Escape(source.Name)}…",
                    status => FollowAsync(ctx, client, source, syncId, s => status.Status($"Syncing {Markup.Escape(source.Name)}: {s}…"), timeout.Token))
                : await FollowAsync(ctx, client, source, syncId, null, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Failed, $"Timed out after {timeoutSeconds} s: sync {syncId} of {source.Name} has not ended.");
        }

        WriteAgents(ctx, final);
        if (final.Status == "Succeeded")
        {
            await ctx.Env.Out.WriteLineAsync($"Sync {syncId} of {source.Name} Succeeded at {ShortCommit(final.Commit)}.");
            return ExitCodes.Ok;
        }

        throw new CliException(ExitCodes.Failed, $"Sync {syncId} of {source.Name} failed: {final.Error ?? "no reason given"}");
    }

    /// <summary>A source by id or by exact name.</summary>
    public static async Task<SourceView> FindAsync(CutoverClient client, string nameOrId, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(nameOrId, out var id)) return await client.GetAsync<SourceView>($"api/sources/{id}", cancellationToken);
        var all = await client.GetAsync<List<SourceView>>("api/sources", cancellationToken);
        return all.SingleOrDefault(s => s.Name == nameOrId)
            ?? throw new CliException(ExitCodes.NotFound, $"Not found: No source named '{nameOrId}'.");
    }

    private static async Task<SyncView> FollowAsync(CliContext ctx, CutoverClient client, SourceView source, Guid syncId, Action<string>? show,
        CancellationToken cancellationToken)
    {
        string? last = null;
        // Until the sync starts (another sync of the source may run first) it has no entry in the history yet.
        var found = await ServerPoll.UntilAsync(
            async ct => (await client.GetAsync<List<SyncView>>($"api/sources/{source.Id}/syncs", ct)).FirstOrDefault(s => s.Id == syncId),
            s => s is { Settled: true },
            async s =>
            {
                var now = s?.Status ?? "Queued";
                if (now == last) return;
                last = now;
                show?.Invoke(now);
                if (show is null) await ctx.Env.Error.WriteLineAsync($"  {source.Name}: {now}");
            },
            cancellationToken);
        return found!;
    }

    private static void WriteAgents(CliContext ctx, SyncView sync)
    {
        if (sync.Agents.Count == 0) return;
        var table = new Table().AddColumns("AGENT", "ACTION", "DEPLOYMENT", "DETAIL");
        foreach (var a in sync.Agents)
            table.AddRow(Markup.Escape(a.Name), a.Action, Lookup.Short(a.DeploymentId), Markup.Escape(a.Detail ?? ""));
        ctx.Console.Write(table);
    }

    private static string ShortCommit(string? sha) => sha is null ? "-" : sha.Length > 12 ? sha[..12] : sha;
}
