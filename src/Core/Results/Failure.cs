namespace Cutover.Core.Results;

/// <summary>An expected failure, described for the person or script that caused it.</summary>
public sealed record Failure(FailureKind Kind, string Title, string Detail, string? Field = null)
{
    public static Failure NotFound(string detail) => new(FailureKind.NotFound, "Not found", detail);

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, "Conflict", detail);

    public static Failure Gone(string detail) => new(FailureKind.Gone, "Gone", detail);

    public static Failure Invalid(string field, string detail) => new(FailureKind.Invalid, "Invalid request", detail, field);
}
