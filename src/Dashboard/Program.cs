using Cutover.Dashboard.Api;
using Cutover.Dashboard.Components;
using Cutover.Dashboard.Demo;
using Cutover.Dashboard.Guards;
using Cutover.Dashboard.Health;
using Cutover.Dashboard.Hosting;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Metrics;
using Cutover.Dashboard.Notifications;
using Cutover.Dashboard.OpenApi;
using Cutover.Dashboard.Provisioning;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.ScaleOut;
using Cutover.Dashboard.Runtime;
using Cutover.Dashboard.Security;
using Cutover.Dashboard.Sync;
using Cutover.Dashboard.Sources;

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));

builder.AddCutoverDatabase();
builder.AddCutoverCore();
builder.AddCutoverScaleOut();
builder.AddCutoverSecurity();
builder.AddCutoverUi();
builder.AddCutoverRuntime();
builder.AddCutoverProvisioning();
builder.AddCutoverDemo();
builder.AddCutoverSync();
builder.AddCutoverHealth();
builder.AddCutoverLive();
builder.AddCutoverRouting();
builder.AddCutoverGuards();
builder.AddCutoverMetrics();
builder.AddCutoverOpenApi();
builder.AddCutoverSources();
builder.AddCutoverNotifications();

var app = builder.Build();

await app.MigrateCutoverDatabaseAsync();

app.UseCutoverPipeline();
app.MapOperationsApi();
app.MapAgentsApi();
app.MapProvisioningApi();
app.MapStatusHub();
app.MapTokensApi();
app.MapMeApi();
app.MapUsersApi();
app.MapSourcesApi();
app.MapNotificationsApi();
app.MapCutoverAccount();
app.MapCutoverMetrics();
app.MapCutoverOpenApi();
app.MapStaticAssets().AllowAnonymous();
// Pages and the circuit are for people (Viewer and up); /login and /setup opt out with [AllowAnonymous]. The CSP
// middleware sends frame-ancestors 'none', so Blazor's own weaker frame-ancestors header is switched off.
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null)
    .RequireAuthorization(Policies.Viewer);

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
