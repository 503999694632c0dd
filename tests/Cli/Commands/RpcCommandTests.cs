using System.Net;
using Cutover.Cli;
using Cutover.Tests.Cli.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Tests.Cli.Commands;

/// <summary>rpc through the real app to a real agent stand-in (Kestrel on loopback) that answers in two parts.</summary>
public sealed class RpcCommandTests(CliAppFactory app) : IClassFixture<CliAppFactory>, IAsyncLifetime
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _bodies = [];
    private WebApplication _agent = default!;
    private string _agentUrl = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _agent = builder.Build();
        _agent.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (_bodies) _bodies.Add(body);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"jsonrpc":"2.0","id":1,"result":"first part""");
            await context.Response.Body.FlushAsync();
            if (context.Request.Query.ContainsKey("slow")) await _finish.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.WriteAsync(""", second part"}""");
        });
        await _agent.StartAsync();
        _agentUrl = _agent.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        _finish.TrySetResult();
        await _agent.StopAsync();
        await _agent.DisposeAsync();
    }

    private CliRun Cli() => new(server: app.Address, token: CliAppFactory.AdminToken);

    [Fact]
    public async Task Rpc_InlineData_PrintsTheAgentsAnswer()
    {
        using var admin = app.Http();
        var name = $"rpc-{Guid.NewGuid():N}"[..16];
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/rpc:1.0", _agentUrl + "/rpc");
        using var cli = Cli();

        var result = await cli.RunAsync("rpc", name, "--data", """{"jsonrpc":"2.0","id":1,"method":"ping"}""");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":"first part, second part"}""", result.Out.Trim());
        lock (_bodies) Assert.Contains("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", _bodies);
    }

    [Fact]
    public async Task Rpc_StreamsTheAnswer_FirstPartPrintedBeforeTheAgentFinished()
    {
        using var admin = app.Http();
        var name = $"rpcs-{Guid.NewGuid():N}"[..16];
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/rpcs:1.0", _agentUrl + "/rpc?slow=1");
        using var cli = Cli();
        var output = new LineWriterChunks();

        var run = CliApp.RunAsync(["rpc", name, "--data", """{"jsonrpc":"2.0","id":1,"method":"stream"}"""],
            cli.Environment(output, new StringWriter(), new StringReader("")), CancellationToken.None);
        await output.WaitForAsync("first part", TimeSpan.FromSeconds(10));
        Assert.False(run.IsCompleted);
        Assert.DoesNotContain("second part", output.Text);
        _finish.TrySetResult();

        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("first part, second part", output.Text);
    }

    [Fact]
    public async Task Rpc_DataFromFileAndFromStdin_ToOneDeployment()
    {
        using var admin = app.Http();
        var name = $"rpcf-{Guid.NewGuid():N}"[..16];
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/rpcf:1.0", "http://127.0.0.1:9/rpc");
        var (_, preview) = await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/rpcf:2.0", _agentUrl + "/rpc");
        using var cli = Cli();
        var file = Path.Combine(cli.Home, "request.json");
        await File.WriteAllTextAsync(file, """{"jsonrpc":"2.0","id":7,"method":"from-file"}""");

        var fromFile = await cli.RunAsync("rpc", name, "--deployment", preview.ToString("N")[^8..], "--data", "@" + file);
        var fromStdin = await cli.RunAsync(["rpc", name, "-d", preview.ToString(), "--data", "-"], """{"jsonrpc":"2.0","id":8,"method":"from-stdin"}""");
        var missing = await cli.RunAsync("rpc", name, "--data", "@" + file + ".missing");

        Assert.True(fromFile.ExitCode == ExitCodes.Ok, fromFile.ToString());
        Assert.True(fromStdin.ExitCode == ExitCodes.Ok, fromStdin.ToString());
        lock (_bodies)
        {
            Assert.Contains(_bodies, b => b.Contains("from-file"));
            Assert.Contains(_bodies, b => b.Contains("from-stdin"));
        }

        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
    }

    [Fact]
    public async Task Rpc_UnreachableAgent_PrintsTheProblem_Exit1()
    {
        using var admin = app.Http();
        var name = $"rpcd-{Guid.NewGuid():N}"[..16];
        await ApiSeed.ReadyAsync(admin, name, "registry.local/cli/rpcd:1.0", "http://127.0.0.1:9/rpc");
        using var cli = Cli();

        var result = await cli.RunAsync("rpc", name, "--data", "{}");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    /// <summary>Collects written text and lets the test wait until a piece of it appeared.</summary>
    private sealed class LineWriterChunks : StringWriter
    {
        private readonly SemaphoreSlim _written = new(0);

        public string Text
        {
            get
            {
                lock (this) return ToString();
            }
        }

        public override void Write(char value)
        {
            lock (this) base.Write(value);
            _written.Release();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (this) base.Write(buffer, index, count);
            _written.Release();
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            lock (this) base.Write(buffer.Span);
            _written.Release();
            return Task.CompletedTask;
        }

        public async Task WaitForAsync(string text, TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            while (!Text.Contains(text, StringComparison.Ordinal)) await _written.WaitAsync(timeout.Token);
        }
    }
}
