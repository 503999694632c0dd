using System.Net;
using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// The real app on a real loopback port (Kestrel, not the in-memory test server), so the agent processes the local
/// runtime starts can call it back.
/// </summary>
public sealed class RuntimeAppFactory : CutoverAppFactory
{
    public RuntimeAppFactory()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        With("Cutover:Runtime:Local:Enabled", "true");
        With("Cutover:Runtime:ReadyTimeout", "00:00:45");
    }

    public Uri ServerUrl => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public DeploymentLauncher Deploys => Services.GetRequiredService<DeploymentLauncher>();

    public StatusBus Bus => Services.GetRequiredService<StatusBus>();

    public StatusChokepoint Chokepoint => Services.GetRequiredService<StatusChokepoint>();

    public CutoverDbContext OpenDb() => Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContext();
}
