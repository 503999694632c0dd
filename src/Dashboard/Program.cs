using Cutover.Dashboard.Api;
using Cutover.Dashboard.Components;
using Cutover.Dashboard.Hosting;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddCutoverDatabase();
builder.AddCutoverCore();
builder.AddCutoverSecurity();
builder.AddCutoverUi();
builder.AddCutoverRouting();

var app = builder.Build();

await app.MigrateCutoverDatabaseAsync();

app.UseCutoverPipeline();
app.MapOperationsApi();
app.MapAgentsApi();
app.MapDeploymentsApi();
app.MapRpcApi();
app.MapBlazorScript();
app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
