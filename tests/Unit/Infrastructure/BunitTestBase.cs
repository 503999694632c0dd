using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// A bunit context with MudBlazor's services registered and the renderer reporting interactive server rendering.
/// Register extra services in the derived constructor before the first render. MudBlazor's services are
/// IAsyncDisposable only, so the context is disposed asynchronously.
/// </summary>
public abstract class BunitTestBase : IAsyncDisposable
{
    protected BunitTestBase()
    {
        Context = new BunitContext();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Services.AddLogging();
    }

    protected BunitContext Context { get; }

    /// <summary>Call after registering services, before the first render.</summary>
    protected void Interactive() => Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    public virtual async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
