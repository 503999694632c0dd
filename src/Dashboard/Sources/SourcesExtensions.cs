using Cutover.Core.Sources;
using Cutover.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Sources;

public static class SourcesExtensions
{
    /// <summary>Git sources: their store and secrets, the git client with its clone cache, the one sync entry, the poller.</summary>
    public static WebApplicationBuilder AddCutoverSources(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<SourceOptions>(builder.Configuration.GetSection(SourceOptions.Section));
        builder.Services.AddSingleton<ISourceSecrets, DataProtectionSourceSecrets>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SourceOptions>>().Value;
            var database = sp.GetRequiredService<DatabaseInfo>();
            var folder = !string.IsNullOrWhiteSpace(options.CacheDirectory)
                ? Path.GetFullPath(options.CacheDirectory, builder.Environment.ContentRootPath)
                : database.Provider == "SQLite" && Path.GetDirectoryName(database.Location) is { Length: > 0 } dataDir
                    ? Path.Combine(dataDir, "sources")
                    : Path.Combine(builder.Environment.ContentRootPath, "data", "sources");
            return new GitCli(folder, options.GitTimeout, sp.GetRequiredService<ILogger<GitCli>>());
        });
        builder.Services.AddSingleton<SourceNotifier>();
        builder.Services.AddSingleton<SourceService>();
        builder.Services.AddSingleton<SourceSyncService>();
        builder.Services.AddHostedService<SourceRecoveryService>();
        builder.Services.AddSingleton<SourcePollWorker>();
        builder.Services.AddSingleton<SourcesClient>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SourcePollWorker>());
        return builder;
    }
}
