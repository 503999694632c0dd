using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>The query of <c>GET /api/agents/{id}/deployments</c>; a bad value is a 400 naming it.</summary>
public sealed record DeploymentListQuery(string? IncludeDeleted)
{
    public ProblemHttpResult? Read(out bool includeDeleted) => RequestRules.OptionalBool(IncludeDeleted, "includeDeleted", out includeDeleted);
}
