using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>API.md "Guarded promotion": an agent's guard, its abort, and (an extension) its default guard.</summary>
public static class GuardEndpoints
{
    public static async Task<Results<Ok<GuardDto>, ProblemHttpResult>> GetAsync(string id, GuardService guards, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p)) return p!;
        var view = await guards.LatestAsync(agentId, cancellationToken);
        return view is null ? Problems.NotFound($"No guard has run for agent {agentId}.") : TypedResults.Ok(GuardDto.From(view));
    }

    public static async Task<Results<Ok<GuardDto>, ProblemHttpResult>> AbortAsync(
        string id, HttpRequest request, GuardService guards, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        var (body, problem) = await ApiJson.ReadAsync<AbortGuardRequest>(request, optional: true, cancellationToken);
        if (problem is not null) return problem;
        if (RequestRules.Text(body?.Reason, RequestRules.ReasonMaxLength, "reason") is { } rp) return rp;
        var outcome = await guards.AbortAsync(agentId, body?.Reason, request.HttpContext.User.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        return TypedResults.Ok(GuardDto.From((await guards.LatestAsync(agentId, cancellationToken))!));
    }

    public static async Task<Results<Ok<GuardSettingsDto>, ProblemHttpResult>> SetDefaultAsync(
        string id, HttpRequest request, GuardService guards, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        var (body, problem) = await ApiJson.ReadAsync<GuardRequest>(request, optional: false, cancellationToken);
        if (problem is not null) return problem;
        var settings = body!.ToSettings(field: "guard");
        if (!settings.IsSuccess) return Problems.From(settings.Failure!);
        var outcome = await guards.SetDefaultAsync(agentId, settings.Value, request.HttpContext.User.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.Ok(GuardSettingsDto.From(settings.Value!)) : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ClearDefaultAsync(
        string id, HttpRequest request, GuardService guards, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        var outcome = await guards.SetDefaultAsync(agentId, null, request.HttpContext.User.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }
}

/// <summary>Body of a guard's abort: <c>{ reason? }</c>.</summary>
public sealed class AbortGuardRequest
{
    public string? Reason { get; set; }
}

/// <summary>API.md's guard, with its settings and verdict details as extensions.</summary>
public sealed record GuardDto(
    Guid Id,
    Guid DeploymentId,
    Guid? PreviousDeploymentId,
    DateTime StartedAt,
    DateTime EndsAt,
    GuardStatus Status,
    GuardEvidenceDto Evidence,
    string? Reason,
    GuardSettingsDto Settings,
    string StartedBy,
    DateTime? EndedAt,
    Guid? RevertedToDeploymentId)
{
    public static GuardDto From(GuardView v) => new(v.Guard.Id, v.Guard.DeploymentId, v.Guard.PreviousDeploymentId, v.Guard.StartedAt,
        v.Guard.EndsAt, v.Guard.Status, GuardEvidenceDto.From(v.Evidence), v.Guard.Reason, GuardSettingsDto.From(v.Guard.Settings),
        v.Guard.StartedBy, v.Guard.EndedAt, v.Guard.RevertedToDeploymentId);
}

public sealed record GuardEvidenceDto(long Requests, long Errors, double ErrorRate, HealthStatus Health)
{
    public static GuardEvidenceDto From(GuardEvidence e) => new(e.Requests, e.Errors, e.ErrorRate, e.Health);
}

public sealed record GuardSettingsDto(string Window, double MaxErrorRate, int MinRequests, bool RequireHealthy)
{
    public static GuardSettingsDto From(GuardSettings s) =>
        new(s.Window.ToString("c", System.Globalization.CultureInfo.InvariantCulture), s.MaxErrorRate, s.MinRequests, s.RequireHealthy);
}
