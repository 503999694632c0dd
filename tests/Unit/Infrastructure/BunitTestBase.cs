using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// A bunit context with Radzen's services registered and the renderer reporting interactive server rendering.
/// Register extra services in the derived constructor before the first render.
/// </summary>
public abstract class BunitTestBase : IDisposable
{
    protected BunitTestBase()
    {
        Context = new BunitContext();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddRadzenComponents();
        Context.Services.AddSingleton(TimeProvider.System);
    }

    protected BunitContext Context { get; }

    /// <summary>Call after registering services, before the first render.</summary>
    protected void Interactive() => Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    public void Dispose()
    {
        Context.Dispose();
        GC.SuppressFinalize(this);
    }
}
