using Cutover.Core.Provisioning;
using Cutover.Dashboard.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// Every problem of a spec in one problem+json answer: 400 when any is the spec's own fault (the conflicts are
/// listed too), 409 when the only problems are names that already exist. <c>errors</c> maps each field to its problems.
/// </summary>
public static class SpecProblems
{
    public static ProblemHttpResult From(IReadOnlyList<SpecProblem> problems)
    {
        var conflictOnly = problems.All(p => p.Conflict);
        var status = conflictOnly ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        var title = conflictOnly ? "Names already exist" : "Invalid provisioning spec";
        var detail = problems.Count == 1
            ? problems[0].Detail
            : $"{problems.Count} problems: " + string.Join(" ", problems.Select(p => $"{p.Field}: {p.Detail}"));
        var extensions = new Dictionary<string, object?>
        {
            ["field"] = problems[0].Field,
            ["errors"] = problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Detail).ToArray()),
        };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: $"https://httpstatuses.io/{status}",
            extensions: extensions);
    }
}
