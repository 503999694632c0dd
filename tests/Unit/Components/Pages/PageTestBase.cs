using Bunit;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// A live page over a faked seam and a manual clock: the test puts rows into the fake, publishes live batches
/// through it, and moves the page clock only by advancing the time.
/// </summary>
public abstract class PageTestBase : BunitTestBase
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <param name="configure">More services (authorization, say), registered before the renderer starts.</param>
    protected PageTestBase(Action<BunitContext>? configure = null)
    {
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.Services.AddSingleton<IDashboardClient>(Data);
        Context.Services.AddScoped<ActionGuard>(); // the one Operator re-check of page actions
        configure?.Invoke(Context);
        Interactive();
    }

    protected ManualTimersTimeProvider Time { get; } = new();

    internal FakeDashboardClient Data { get; } = new();

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, deadline.Token);
        }
    }
}
