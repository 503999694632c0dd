namespace Cutover.Dashboard.Hosting;

public sealed class DatabaseOptions
{
    public const string Section = "Cutover:Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>Postgres</c> (scale-out).</summary>
    public string Provider { get; set; } = "Sqlite";

    public bool IsSqlite => string.Equals(Provider, "Sqlite", StringComparison.OrdinalIgnoreCase);

    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase);
}
