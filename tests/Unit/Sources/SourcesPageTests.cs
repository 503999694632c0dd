using Bunit;
using Cutover.Core.Sources;
using Cutover.Dashboard.Security;
using Cutover.Dashboard.Sources;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Cutover.Tests.Unit.Sources.SourceSyncHarness;

namespace Cutover.Tests.Unit.Sources;

/// <summary>The Sources page over the real sync entry, database and git repository: Sync now shows progress, then the outcome live.</summary>
public sealed class SourcesPageTests : BunitTestBase
{
    private readonly SourceSyncHarness _h = new();

    public SourcesPageTests()
    {
        Context.AddAuthorization().SetAuthorized("admin").SetPolicies(Policies.Viewer, Policies.Operator, Policies.Admin);
        Context.Services.AddSingleton(_h.Sources);
        Context.Services.AddSingleton(_h.Syncs);
        Context.Services.AddSingleton(_h.Notifier);
        Context.Services.AddSingleton(new SourcePollWorker(_h.Db.Factory, _h.Syncs, Options.Create(new SourceOptions()), TimeProvider.System,
            new Cutover.Dashboard.ScaleOut.SingletonLeases(NullLogger<Cutover.Dashboard.ScaleOut.SingletonLeases>.Instance),
            NullLogger<SourcePollWorker>.Instance));
        Context.Services.AddSingleton<SourcesClient>();
        Context.Services.AddScoped<ActionGuard>();
        Interactive();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _h.Dispose();
    }

    [Fact]
    public async Task SyncNow_ShowsTheCommitAndStatusOnceTheSyncEnds()
    {
        var sha = _h.Repo.Commit("cutover.yaml", Manifest(("page-bot", Image1, null)), "Declare page-bot");
        var source = await _h.CreateSourceAsync();
        var cut = Context.Render<Cutover.Dashboard.Components.Pages.Sources>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[aria-label='Sync {source.Name} now']")), Wait);
        Assert.Equal("Sync: Unknown", cut.Find("[role=img]").GetAttribute("aria-label"));

        await cut.InvokeAsync(() => cut.Find($"[aria-label='Sync {source.Name} now']").Click());

        cut.WaitForAssertion(() => Assert.Equal("Sync: Succeeded", cut.Find("[role=img]").GetAttribute("aria-label")), Wait);
        Assert.Contains(sha[..12], cut.Markup);
        Assert.Contains("Declare page-bot", cut.Markup);
        Assert.Contains("page-bot", cut.Find("td[data-label='Agents']").TextContent);
    }

    [Fact]
    public async Task SourceDetail_DeclaredAgentsAndHistoryFollowEverySync()
    {
        var first = _h.Repo.Commit("cutover.yaml", Manifest(("detail-bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id, trigger: Cutover.Core.Sources.SyncTrigger.Webhook);
        var cut = Context.Render<Cutover.Dashboard.Components.Pages.SourceDetail>(p => p.Add(x => x.Id, source.Id));
        cut.WaitForAssertion(() => Assert.Contains("detail-bot", cut.Find("[aria-label='Declared agents']").TextContent), Wait);
        Assert.Contains(first[..12], cut.Find("[aria-label='Declared agents']").TextContent);
        var history = cut.Find("[aria-label='Sync history']").TextContent;
        Assert.Contains("Webhook", history);
        Assert.Contains("detail-bot: Created", history);

        var second = _h.Repo.Commit("cutover.yaml", Manifest(("detail-bot", Image2, null), ("detail-two", Image1, null)));
        await cut.InvokeAsync(() => cut.Find($"[aria-label='Sync {source.Name} now']").Click());

        cut.WaitForAssertion(() => Assert.Contains("detail-two: Created", cut.Find("[aria-label='Sync history']").TextContent), Wait);
        Assert.Contains("detail-bot: Deployed", cut.Find("[aria-label='Sync history']").TextContent);
        Assert.Contains("Manual", cut.Find("[aria-label='Sync history']").TextContent);
        Assert.Contains(second[..12], cut.Find("[aria-label='Declared agents']").TextContent);
        Assert.Contains("detail-two", cut.Find("[aria-label='Declared agents']").TextContent);
    }

    [Fact]
    public void SourceDetail_UnknownSource_SaysSo()
    {
        var cut = Context.Render<Cutover.Dashboard.Components.Pages.SourceDetail>(p => p.Add(x => x.Id, Guid.NewGuid()));
        cut.WaitForAssertion(() => Assert.Contains("No such source", cut.Markup), Wait);
    }

    [Fact]
    public async Task FailedSync_ShowsTheReasonLive()
    {
        var source = await _h.CreateSourceAsync(repoUrl: Path.Combine(_h.Db.Directory, "missing-repo"));
        var cut = Context.Render<Cutover.Dashboard.Components.Pages.Sources>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[aria-label='Sync {source.Name} now']")), Wait);

        // Another trigger (not this page's button): the page follows the source's bookkeeping by itself.
        var ticket = await _h.Syncs.RequestAsync(source.Id, SyncTrigger.Webhook, new BranchHead(), default);
        await ticket!.Completion.WaitAsync(Wait);

        cut.WaitForAssertion(() => Assert.Equal("Sync: Failed", cut.Find("[role=img]").GetAttribute("aria-label")), Wait);
        Assert.Contains("Could not fetch", cut.Find($"[aria-label='Error of {source.Name}']").TextContent);
    }
}
