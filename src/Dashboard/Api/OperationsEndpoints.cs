using Cutover.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", GetHealthAsync).AllowAnonymous();
        return endpoints;
    }

    /// <summary>200 when the database answers a query; 503 otherwise (for load balancers and orchestrators).</summary>
    public static async Task<Results<Ok<HealthReply>, ProblemHttpResult>> GetHealthAsync(
        IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Agents.AnyAsync(cancellationToken);
            return TypedResults.Ok(new HealthReply("Healthy"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem(title: "Database unavailable", detail: "The database did not answer.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public sealed record HealthReply(string Status);
}
