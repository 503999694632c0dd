using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Provisioning;
using Cutover.Core.Runtime;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>A run over HTTP with real sample-agent processes on the local runtime: apply, all Ready, RPC, tear down.</summary>
public sealed class ProvisioningLocalRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PostYamlThenDelete_RealProcessesWakeRegisterAndAreStoppedAndDeleted()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        using var http = new HttpClient { BaseAddress = app.ServerUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", CutoverAppFactory.AdminToken);
        var runtime = app.Services.GetRequiredService<IDeploymentRuntime>();
        using var live = app.Bus.SubscribeRuns();

        var response = await http.PostAsync("/api/provisioning/runs", new StringContent("""
            name: real-fleet
            maxConcurrent: 2
            agents:
              - { name: real-a, image: "cutover/sample-agent:1.0" }
              - { name: real-b, image: "cutover/sample-agent:2.0", metadata: { team: eval } }
              - { name: real-c, image: "cutover/sample-agent:1.0" }
            """, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = run.GetProperty("id").GetGuid();
        Assert.Equal($"/api/provisioning/runs/{id}", response.Headers.Location?.OriginalString);
        var done = await UntilStatusAsync(http, live, id, "Succeeded");
        var rows = done.GetProperty("ledger").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("Woken", r.GetProperty("step").GetString()));
        var deployments = rows.Select(r => r.GetProperty("deploymentId").GetGuid()).ToList();
        Assert.All(deployments, d => Assert.Equal(RuntimeStatus.Running, runtime.GetState(d).Status));

        // The woken agent answers through the control plane.
        var agentId = rows[1].GetProperty("agentId").GetGuid();
        using (var rpc = await http.PostAsync($"/api/agents/{agentId}/rpc", new StringContent(
                   """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"hi"}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);
            var reply = await rpc.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("2.0", reply.GetProperty("result").GetProperty("metadata").GetProperty("version").GetString());
        }

        // A second run naming an existing agent is refused whole: 409 naming it.
        var again = await http.PostAsync("/api/provisioning/runs", new StringContent(
            """{"name":"again","agents":[{"name":"real-new","image":"cutover/sample-agent:1.0"},{"name":"real-b","image":"cutover/sample-agent:1.0"}]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("real-b", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("agents[1].name")[0].GetString());
        Assert.Equal(404, (int)(await http.GetAsync("/api/agents/by-name/real-new")).StatusCode);

        var delete = await http.DeleteAsync($"/api/provisioning/runs/{id}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        var torn = await UntilStatusAsync(http, live, id, "TornDown");
        Assert.All(torn.GetProperty("ledger").EnumerateArray(), r => Assert.Equal("TornDown", r.GetProperty("step").GetString()));
        Assert.All(deployments, d => Assert.NotEqual(RuntimeStatus.Running, runtime.GetState(d).Status));
        var list = await http.GetFromJsonAsync<JsonElement>("/api/agents?q=real-");
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var runs = await http.GetFromJsonAsync<JsonElement>("/api/provisioning/runs");
        Assert.Equal(id, runs[0].GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> UntilStatusAsync(HttpClient http, RunSubscription live, Guid id, string status)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var run = await http.GetFromJsonAsync<JsonElement>($"/api/provisioning/runs/{id}", cts.Token);
            if (run.GetProperty("status").GetString() == status) return run;
            try
            {
                await live.Changes.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Run {id} did not become {status}; it is {run}");
            }
        }
    }
}
