using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// A live page on a real SQLite database and a manual clock: the page's queries and status bus are the database's,
/// and both the live listener's batch window and the page clock move only when the test advances the time.
/// </summary>
public abstract class PageTestBase : BunitTestBase, IDisposable
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected PageTestBase()
    {
        Db = new TestDatabase(Time);
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.Services.AddSingleton(new AgentQueries(Db.Factory));
        Context.Services.AddSingleton(new AuditQueries(Db.Factory));
        Context.Services.AddSingleton(Db.Bus);
        Interactive();
    }

    protected ManualTimersTimeProvider Time { get; } = new();

    protected TestDatabase Db { get; }

    /// <summary>
    /// Lets the page see what was published: the listener gathers a burst for one batch window on the page's clock,
    /// so once that window's timer is pending, moving the clock past it delivers the batch (whatever other timers,
    /// such as the page clock's, the page holds).
    /// </summary>
    protected async Task DeliverLiveAsync()
    {
        await WaitUntilAsync(() => Time.HasOneShotTimerWithin(LiveStatusListener.DefaultBatchWindow));
        Time.Advance(LiveStatusListener.DefaultBatchWindow);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, deadline.Token);
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        Db.Dispose();
    }
}
