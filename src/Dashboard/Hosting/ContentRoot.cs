namespace Cutover.Dashboard.Hosting;

/// <summary>
/// Where the app finds its settings, wwwroot and relative database path. <c>dotnet run</c> and the tests start it in
/// its project folder (or name <c>--contentRoot</c>); a published build started from elsewhere
/// (<c>dotnet out/Cutover.Dashboard.dll</c>) uses its own folder, which holds everything it needs.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args)
    {
        var named = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
        var here = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"));
        return named || here
            ? new WebApplicationOptions { Args = args }
            : new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory };
    }
}
