namespace Cutover.Dashboard.Demo;

public static class DemoExtensions
{
    /// <summary>Demo mode (<c>Cutover:Demo:Enabled</c>, on in Development): sample agents for a live first screen.</summary>
    public static WebApplicationBuilder AddCutoverDemo(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
        builder.Services.AddSingleton<Hosting.StartupWork>();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
