using System.Threading.Channels;
using Bunit;
using Cutover.Core.Provisioning;
using Cutover.Dashboard.Provisioning;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ProvisioningPage = Cutover.Dashboard.Components.Pages.Provisioning;

namespace Cutover.Tests.Unit.Components.Provisioning;

/// <summary>The Provisioning page over a faked seam: live ledger changes upsert rows, older changes never win.</summary>
public sealed class ProvisioningPageTests : BunitTestBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeClient _client = new();

    public ProvisioningPageTests()
    {
        Context.AddAuthorization().SetAuthorized("alice").SetPolicies(Policies.Viewer, Policies.Operator);
        Context.Services.AddScoped<ActionGuard>();
        Context.Services.AddSingleton<ProvisioningClient>(_client);
        Interactive();
    }

    [Fact]
    public async Task OpenRun_LiveChanges_UpsertRowsInSequenceAndIgnoreOlderOnes()
    {
        var run = FakeClient.Run(sequence: 3);
        _client.Runs = [run];
        var page = Context.Render<ProvisioningPage>();
        page.Find("button[aria-label='Open run eval']").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[aria-label='a Pending']")), Wait);

        var agentId = Guid.NewGuid();
        await _client.Changes.Writer.WriteAsync(new RunChange(run.Id!.Value, RunStatus.Running, run.Ledger[0].Id, "a", agentId, Guid.NewGuid(),
            LedgerStep.Woken, null, 4, DateTime.UtcNow));
        // Older than what the page holds: must not overwrite row b.
        await _client.Changes.Writer.WriteAsync(new RunChange(run.Id.Value, RunStatus.Running, run.Ledger[1].Id, "b", null, null,
            LedgerStep.Failed, "stale", 2, DateTime.UtcNow));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[aria-label='a Woken']")), Wait);
        Assert.NotNull(page.Find("[aria-label='b Pending']"));
        Assert.Contains("1 of 2 agents settled", page.Markup);

        var listsBefore = _client.ListCalls;
        await _client.Changes.Writer.WriteAsync(new RunChange(run.Id.Value, RunStatus.Failed, null, null, null, null, null, "1 agent(s) failed", 5,
            DateTime.UtcNow));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[aria-label='Run status Failed']")), Wait);
        Assert.Contains("1 agent(s) failed", page.Markup);
        page.WaitForAssertion(() => Assert.True(_client.ListCalls > listsBefore), Wait);
    }

    [Fact]
    public void DryRun_WithProblems_NamesEveryOneAndShowsNoPlan()
    {
        _client.Result = new StartResult(null, [new SpecProblem("agents[1].name", "The name 'a' appears more than once."), new SpecProblem("maxConcurrent", "too big")]);
        var page = Context.Render<ProvisioningPage>();
        page.Find("textarea").Input("name: x");

        page.FindAll("button").Single(b => b.TextContent.Contains("Dry run")).Click();

        page.WaitForAssertion(() => Assert.Contains("agents[1].name", page.Find("[role='alert']").TextContent), Wait);
        Assert.Contains("maxConcurrent", page.Find("[role='alert']").TextContent);
        Assert.Empty(page.FindAll("[aria-label='Dry-run plan']"));
        Assert.Equal(("name: x", true), (_client.LastText, _client.LastDryRun));
    }

    private sealed class FakeClient() : ProvisioningClient(null!, null!)
    {
        public Channel<RunChange> Changes { get; } = Channel.CreateUnbounded<RunChange>();

        public IReadOnlyList<RunView> Runs { get; set; } = [];

        public StartResult Result { get; set; } = new(null, []);

        public int ListCalls { get; private set; }

        public string? LastText { get; private set; }

        public bool? LastDryRun { get; private set; }

        public static RunView Run(long sequence) =>
            new(Guid.NewGuid(), "eval", RunStatus.Running, OnFailure.Keep, 2, false, DateTime.UtcNow, null, null,
                [
                    new LedgerRow(Guid.NewGuid(), "a", "x/y:1", null, null, LedgerStep.Pending, null, null),
                    new LedgerRow(Guid.NewGuid(), "b", "x/y:1", null, null, LedgerStep.Pending, null, null),
                ], sequence);

        public override Task<StartResult> SubmitAsync(string text, bool dryRun, string actor, CancellationToken cancellationToken)
        {
            (LastText, LastDryRun) = (text, dryRun);
            return Task.FromResult(Result);
        }

        public override Task<IReadOnlyList<RunView>> ListAsync(CancellationToken cancellationToken)
        {
            ListCalls++;
            return Task.FromResult(Runs);
        }

        public override Task<RunView?> GetAsync(Guid runId, CancellationToken cancellationToken) =>
            Task.FromResult(Runs.FirstOrDefault(r => r.Id == runId));

        public override Task<RunView?> BeginTeardownAsync(Guid runId, string actor, CancellationToken cancellationToken) => GetAsync(runId, cancellationToken);

        public override RunSubscription Subscribe() => new(Changes.Reader, () => Changes.Writer.TryComplete());
    }
}
