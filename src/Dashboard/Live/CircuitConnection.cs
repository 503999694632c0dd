using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The circuit's connection to its browser. While it is down nothing reaches the page (the browser greys every
/// live mark itself, see app.css); when it comes back the seam tells each subscription to reload its snapshot.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    public event Action? Reconnected;

    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The first "up" is the circuit opening; only a later one is a reconnection.
        if (_wasDown) Reconnected?.Invoke();
        _wasDown = false;
        return Task.CompletedTask;
    }
}
