using Cutover.Core.Status;
using Cutover.Dashboard.Hosting;

namespace Cutover.Dashboard.ScaleOut;

public static class ScaleOutExtensions
{
    /// <summary>
    /// Several nodes on one PostgreSQL database: every commit is relayed to every node's bus, security state that
    /// ends on one node ends on all, and singleton work runs on the node holding its advisory lock. On SQLite (one
    /// node) only the node's identity is registered, and every lease is held.
    /// </summary>
    public static WebApplicationBuilder AddCutoverScaleOut(this WebApplicationBuilder builder)
    {
        var postgres = (builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).IsPostgres;
        builder.Services.AddSingleton<NodeIdentity>();
        builder.Services.AddSingleton(sp =>
        {
            var relay = ActivatorUtilities.CreateInstance<SecurityRelay>(sp);
            relay.Enabled = postgres;
            return relay;
        });
        builder.Services.AddSingleton(sp =>
        {
            var leases = ActivatorUtilities.CreateInstance<SingletonLeases>(sp);
            if (postgres) leases.ConnectionString = builder.Configuration.GetConnectionString("Cutover");
            return leases;
        });
        if (postgres)
        {
            builder.Services.AddSingleton<Core.Provisioning.IRunClaims>(new PostgresRunClaims(builder.Configuration.GetConnectionString("Cutover")!));
            builder.Services.AddSingleton<IStatusRelay, PostgresStatusRelay>();
            builder.Services.AddSingleton<PostgresStatusListener>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresStatusListener>());
        }

        return builder;
    }
}
