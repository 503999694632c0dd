namespace Cutover.Core.Domain;

/// <summary>
/// A long-running AI agent service. Its status fields (health, sync, production pointer, sequence) have no public
/// setters: they change only through <see cref="Status.StatusChokepoint"/>, which records an event for each change.
/// </summary>
public sealed class Agent
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 1000;
    public const int UrlMaxLength = 2048;
    public const int ErrorMaxLength = 2000;

    private Agent()
    {
        Name = string.Empty;
    }

    internal Agent(Guid id, string name, string? description, DateTime createdAt)
    {
        Id = id;
        Name = name;
        Description = description;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>Legacy registration URL: routing falls back to it while no production deployment exists.</summary>
    public string? AcpUrl { get; private set; }

    public HealthStatus Health { get; private set; }

    public SyncStatus Sync { get; private set; }

    /// <summary>Denormalized pointer for fast routing; kept in step with <see cref="Deployment.IsProduction"/>.</summary>
    public Guid? ProductionDeploymentId { get; private set; }

    public DateTime? LastSeenAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>Soft delete: when the agent was deleted. It leaves lists and its RPC answers 410; its name stays taken.</summary>
    public DateTime? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    public const int DefaultGuardMaxLength = 500;

    /// <summary>The guard a promote of this agent carries when it names none (JSON of <see cref="Guards.GuardSettings"/>), or null.</summary>
    public string? DefaultGuardJson { get; private set; }

    public Guards.GuardSettings? DefaultGuard =>
        DefaultGuardJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<Guards.GuardSettings>(DefaultGuardJson);

    internal void SetDefaultGuard(Guards.GuardSettings? settings) =>
        DefaultGuardJson = settings is null ? null : System.Text.Json.JsonSerializer.Serialize(settings);

    /// <summary>Per-agent event sequence; also the optimistic concurrency token for every status change.</summary>
    public long LastSequence { get; private set; }

    internal long NextSequence() => ++LastSequence;

    internal void WriteHealth(HealthStatus health) => Health = health;

    internal void WriteSync(SyncStatus sync, string? error)
    {
        Sync = sync;
        LastError = Truncate(error);
    }

    internal void WriteProductionPointer(Guid? deploymentId) => ProductionDeploymentId = deploymentId;

    internal void WriteDeleted(DateTime at) => DeletedAt = at;

    internal void SetLegacyUrl(string? url) => AcpUrl = url;

    internal void SetDescription(string? description) => Description = description;

    internal void SetLastError(string? error) => LastError = Truncate(error);

    internal void Seen(DateTime at)
    {
        if (LastSeenAt is null || at > LastSeenAt) LastSeenAt = at;
    }

    private static string? Truncate(string? s) => s is { Length: > ErrorMaxLength } ? s[..ErrorMaxLength] : s;
}
