using Cutover.Core.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>Expected failures become RFC 9457 problem details; a field error names the field.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Failure failure)
    {
        var problem = Classify(failure);
        // A stale confirmation names the production deployment of now (null: none), so a client can re-confirm.
        if (failure.Field == Failure.ExpectedProductionField)
            problem.ProblemDetails.Extensions["currentProductionDeploymentId"] = failure.CurrentProductionDeploymentId;
        return problem;
    }

    private static ProblemHttpResult Classify(Failure failure) => failure.Kind switch
    {
        FailureKind.NotFound => Make(StatusCodes.Status404NotFound, failure.Title, failure.Detail, failure.Field),
        FailureKind.Conflict => Make(StatusCodes.Status409Conflict, failure.Title, failure.Detail, failure.Field),
        FailureKind.Gone => Make(StatusCodes.Status410Gone, failure.Title, failure.Detail, failure.Field),
        FailureKind.Invalid => Make(StatusCodes.Status400BadRequest, failure.Title, failure.Detail, failure.Field),
        FailureKind.Unavailable => Make(StatusCodes.Status503ServiceUnavailable, failure.Title, failure.Detail, failure.Field),
        _ => Make(StatusCodes.Status500InternalServerError, "Unexpected failure", failure.Detail, failure.Field),
    };

    public static ProblemHttpResult Invalid(string field, string detail) =>
        Make(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static ProblemHttpResult NotFound(string detail) => Make(StatusCodes.Status404NotFound, "Not found", detail, null);

    public static ProblemHttpResult Forbidden(string detail) => Make(StatusCodes.Status403Forbidden, "Forbidden", detail, null);

    public static ProblemHttpResult Make(int status, string title, string detail, string? field)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null)
        {
            extensions["field"] = field;
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title,
            type: $"https://httpstatuses.io/{status}", extensions: extensions);
    }
}
