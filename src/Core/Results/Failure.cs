namespace Cutover.Core.Results;

/// <summary>An expected failure, described for the person or script that caused it.</summary>
public sealed record Failure(FailureKind Kind, string Title, string Detail, string? Field = null)
{
    public const string ExpectedProductionField = "expectedProductionDeploymentId";

    /// <summary>Set on a stale-confirmation conflict: the deployment that is production now (null: none).</summary>
    public Guid? CurrentProductionDeploymentId { get; init; }

    /// <summary>A promote or rollback confirmed against a production deployment that is no longer production.</summary>
    public static Failure StaleProduction(Guid expected, Guid? current) =>
        new(FailureKind.Conflict, "Production changed",
            $"The production deployment is no longer {expected}; it is now {(current is { } c ? c.ToString() : "none")}. Review and confirm again.",
            ExpectedProductionField)
        {
            CurrentProductionDeploymentId = current,
        };

    public static Failure NotFound(string detail) => new(FailureKind.NotFound, "Not found", detail);

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, "Conflict", detail);

    public static Failure Gone(string detail) => new(FailureKind.Gone, "Gone", detail);

    public static Failure Invalid(string field, string detail) => new(FailureKind.Invalid, "Invalid request", detail, field);
}
