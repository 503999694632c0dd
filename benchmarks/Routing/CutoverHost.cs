using Cutover.Benchmarks.Shared;
using Cutover.Core.Deployments;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// The real Cutover app in this process on a loopback port (<see cref="BenchmarkHost{TEntryPoint}"/>), with an
/// operator (bootstrap admin) token. Logging is left as the app configures it for production.
/// </summary>
internal sealed class CutoverHost : BenchmarkHost<Program>
{
    /// <summary>Registers one agent whose first (so production) deployment points at <paramref name="url"/>.</summary>
    public async Task<Guid> RegisterAgentAsync(Uri url)
    {
        var outcome = await Services.GetRequiredService<DeploymentService>().RegisterAsync(
            new RegisterCommand("bench-agent", null, url.ToString(), Guid.CreateVersion7(), "registry.example/bench:1", null),
            "benchmark", CancellationToken.None);
        return outcome.IsSuccess ? outcome.Value!.Agent.Id : throw new InvalidOperationException(outcome.Failure!.Detail);
    }
}
