using Cutover.Tests.Unit.Runtime;
using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Dashboard.Components.Runtime;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Runtime;

public sealed class DeploymentLogTests : BunitTestBase
{
    private readonly TestDatabase _db = new();
    private readonly FakeRuntime _runtime;

    public DeploymentLogTests()
    {
        _runtime = new FakeRuntime(_db.Deployments);
        _runtime.ImageBehaviour["cutover/sample-agent:9.9-hang"] = FakeRuntime.Behaviour.Hang;
        Context.Services.AddSingleton<IAgentToolsClient>(new AgentToolsClient(null!, _runtime)); // no RPC here: the log only
        Interactive();
    }

    [Fact]
    public async Task Render_RunningProcess_ShowsItsOutputAndFollowsNewLines()
    {
        var id = Guid.NewGuid();
        await _runtime.StartAsync(new DeploymentLaunch(Guid.NewGuid(), "bot", id, DockerImage.Parse("cutover/sample-agent:9.9-hang")), default);
        _runtime.Write(id, "listening on http://127.0.0.1:5000");

        var cut = Context.Render<DeploymentLog>(p => p.Add(x => x.DeploymentId, id).Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("listening on http://127.0.0.1:5000", cut.Find("[role=log]").TextContent);
        Assert.Contains("Running", cut.Find("[data-testid=process-state]").TextContent);
        _runtime.Write(id, "registered as agent 42");
        cut.WaitForAssertion(() => Assert.Contains("registered as agent 42", cut.Find("[role=log]").TextContent), TimeSpan.FromSeconds(5));

        _runtime.Die(id, 137);
        cut.WaitForAssertion(() => Assert.Contains("Exited with code 137", cut.Find("[data-testid=process-state]").TextContent), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Render_DeploymentNotRunHere_SaysThereIsNoOutput()
    {
        var cut = Context.Render<DeploymentLog>(p => p.Add(x => x.DeploymentId, Guid.NewGuid()));

        Assert.Contains("not running under this dashboard's runtime", cut.Find("[data-testid=log-empty]").TextContent);
        Assert.Empty(cut.FindAll("[role=log]"));
    }
}
