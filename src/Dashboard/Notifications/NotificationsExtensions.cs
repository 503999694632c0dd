using System.Net;
using Cutover.Core.Notifications;
using Cutover.Core.Status;
using Cutover.Dashboard.Hosting;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Notifications;

public static class NotificationsExtensions
{
    /// <summary>
    /// Outbound webhooks: subscriptions (secrets under Data Protection), the outbox the chokepoint writes in each
    /// change's transaction, the delivery worker (one node, the notifications lease) and the page's seam.
    /// </summary>
    public static WebApplicationBuilder AddCutoverNotifications(this WebApplicationBuilder builder)
    {
        var postgres = (builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).IsPostgres;
        builder.Services.Configure<NotificationOptions>(builder.Configuration.GetSection(NotificationOptions.Section));
        builder.Services.AddSingleton<INotificationSecrets, DataProtectionNotificationSecrets>();
        builder.Services.AddSingleton(new NotificationSubscriptions { Shared = postgres });
        builder.Services.AddSingleton<IChangeOutbox, ChangeOutbox>();
        builder.Services.AddSingleton<NotificationService>();
        builder.Services.AddSingleton<INotificationsClient, NotificationsClient>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = SafeConnect.With(sp.GetRequiredService<UrlSafety>(), field: "url"),
            })
            // Held for the app's life (one shared client in WebhookSender).
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The client's own logging would write every receiver URL (a Slack URL is a credential); the worker logs outcomes.
            .RemoveAllLoggers();
        builder.Services.AddSingleton<NotificationDeliveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDeliveryWorker>());
        return builder;
    }
}
