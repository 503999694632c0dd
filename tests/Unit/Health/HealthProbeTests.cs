using Cutover.Core.Domain;
using Cutover.Dashboard.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Health;

/// <summary>The app's own prober and probe worker against a real HTTP stand-in agent.</summary>
public sealed class HealthProbeTests(ProbeAppFactory app) : IClassFixture<ProbeAppFactory>, IAsyncLifetime
{
    private StubAgentServer _stub = default!;

    public async Task InitializeAsync() => _stub = await StubAgentServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private HealthProber Prober => app.Services.GetRequiredService<HealthProber>();

    [Fact]
    public async Task ProbeAsync_200_Succeeds()
    {
        var result = await Prober.ProbeAsync(_stub.Url("/ok"), default);
        Assert.True(result.Success, result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_503_FailsSayingSo()
    {
        var result = await Prober.ProbeAsync(_stub.Url("/down/"), default);
        Assert.False(result.Success);
        Assert.Contains("503", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_RedirectOnTheSameOrigin_IsFollowed()
    {
        var result = await Prober.ProbeAsync(_stub.Url("/hop"), default);
        Assert.True(result.Success, result.Detail);
        Assert.Equal(1, _stub.Hits("/ok/healthz"));
    }

    [Fact]
    public async Task ProbeAsync_RedirectToAnotherHost_IsNotFollowed()
    {
        var result = await Prober.ProbeAsync(_stub.Url("/away"), default);
        Assert.False(result.Success);
        Assert.Contains("another host", result.Detail);
        Assert.Equal(0, _stub.Hits("/ok/healthz"));
    }

    [Fact]
    public async Task ProbeAsync_NoAnswer_FailsAtTheTimeout()
    {
        var result = await Prober.ProbeAsync(_stub.Url("/slow"), default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.Success);
        Assert.Contains("No answer within", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_Fails()
    {
        var result = await Prober.ProbeAsync("http://127.0.0.1:9/", default);
        Assert.False(result.Success);
        Assert.StartsWith("Unreachable", result.Detail);
    }

    [Fact]
    public async Task ProbeWorker_DeploymentGoesDownAndUp_HealthFollows()
    {
        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, "probed-" + Guid.NewGuid().ToString("N")[..6], _stub.Url("/switch"));

        await WaitForHealthAsync(agentId, HealthStatus.Healthy);
        _stub.Healthy = false;
        await WaitForHealthAsync(agentId, HealthStatus.Unhealthy);
        _stub.Healthy = true;
        await WaitForHealthAsync(agentId, HealthStatus.Healthy);
        Assert.True(_stub.Hits("/switch/healthz") >= 4);
    }

    private async Task WaitForHealthAsync(Guid agentId, HealthStatus expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((await AppSeed.AgentAsync(app.Services, agentId)).Health != expected)
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
