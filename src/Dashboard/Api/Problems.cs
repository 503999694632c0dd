using Cutover.Core.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>Expected failures become RFC 9457 problem details; a field error names the field.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Failure failure)
    {
        var problem = Make(StatusOf(failure.Kind), failure.Title, failure.Detail, failure.Field);
        // A stale confirmation names the production deployment of now (null: none), so a client can re-confirm.
        if (failure.Field == Failure.ExpectedProductionField)
            problem.ProblemDetails.Extensions["currentProductionDeploymentId"] = failure.CurrentProductionDeploymentId;
        return problem;
    }

    /// <summary>The one mapping of a failure kind to its HTTP status (the API's answers and the Try-it panel's).</summary>
    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Gone => StatusCodes.Status410Gone,
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
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
