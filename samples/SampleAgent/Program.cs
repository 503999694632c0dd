using System.Net;
using Cutover.SampleAgent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var settings = AgentSettings.FromEnvironment(Environment.GetEnvironmentVariable);
if (settings.CrashOnStart)
{
    // A deliberately broken build, for demos and tests of failed deployments.
    Console.Error.WriteLine($"{settings.Name} {settings.Version}: fatal: AGENT_CRASH_ON_START is set, exiting with code 3");
    return 3;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, settings.Port);
    k.Limits.MaxRequestBodySize = 1024 * 1024;
});
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});
// Its output is what the dashboard shows for the deployment: per-request lines (every health probe) would bury
// start-up, registration and failures. Microsoft.Hosting.Lifetime (listening, stopping) is another category and stays.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<AgentAddress>();
builder.Services.AddSingleton<AgentFaults>();
builder.Services.AddSingleton<AgentHealth>();
builder.Services.AddHostedService<ParentWatcher>();
builder.Services.AddHostedService<ControlPlaneReporter>();

var app = builder.Build();
app.MapPost("/", JsonRpcEndpoint.HandleAsync);
app.MapPost("/rpc", JsonRpcEndpoint.HandleAsync);
app.MapGet("/healthz", (AgentHealth health) => health.IsHealthy
    ? Results.Ok(new { status = "Healthy", version = settings.Version })
    : Results.Json(new { status = "Unhealthy", version = settings.Version }, statusCode: StatusCodes.Status503ServiceUnavailable));

app.Lifetime.ApplicationStarted.Register(() =>
{
    var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    var url = settings.PublicUrl ?? bound;
    app.Services.GetRequiredService<AgentAddress>().Set(url);
    // The runtime and people read this line; keep its shape stable.
    Console.WriteLine($"Agent {settings.Name} {settings.Version} listening on {bound} (pid {Environment.ProcessId})");
});

await app.RunAsync();
return 0;
