using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>The real app with a brisk delivery worker (fast polls, short backoff and timeout) and its log captured.</summary>
public sealed class NotificationAppFactory : CutoverAppFactory
{
    public static readonly TimeSpan RetryBase = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public NotificationAppFactory(string? databasePath = null, int maxAttempts = 1000, string pollInterval = "00:00:00.050", int batchSize = 100)
    {
        With("Cutover:Notifications:PollInterval", pollInterval);
        With("Cutover:Notifications:BatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Cutover:Notifications:RetryBase", RetryBase.ToString());
        With("Cutover:Notifications:RetryCap", RetryCap.ToString());
        With("Cutover:Notifications:AttemptTimeout", AttemptTimeout.ToString());
        With("Cutover:Notifications:MaxAttempts", maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (databasePath is not null) With("ConnectionStrings:Cutover", $"Data Source={databasePath}");
    }

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
    }
}
