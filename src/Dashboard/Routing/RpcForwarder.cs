using System.Diagnostics;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Metrics;
using Cutover.Dashboard.Traffic;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Forwards the current request to a resolved target with YARP's <see cref="IHttpForwarder"/> over the shared
/// invoker. Bodies stream both ways (a streamed NDJSON or SSE answer reaches the caller as the agent produces it).
/// A failure before the agent answered becomes problem details: 504 when the agent was too slow, 502 otherwise.
/// </summary>
public sealed partial class RpcForwarder(
    IHttpForwarder forwarder,
    ForwardingInvoker invoker,
    IOptionsMonitor<RoutingOptions> options,
    CutoverMetrics metrics,
    TrafficFigures figures,
    ILogger<RpcForwarder> logger)
{
    public async Task ForwardAsync(HttpContext context, RouteTarget target)
    {
        var started = Stopwatch.GetTimestamp();
        // The agent's own answer is passed through as is: status code pages must not put their text into an
        // agent's empty 404 or 500.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;

        var error = await forwarder.SendAsync(context, target.Url.OriginalString, invoker.Invoker, RequestConfig(), new RpcTransformer(target))
            .ConfigureAwait(false);
        var broken = error != ForwarderError.None && await FailedAsync(context, target, error).ConfigureAwait(false);
        var failed = broken || context.Response.StatusCode >= StatusCodes.Status500InternalServerError;
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RpcFinished(target.AgentLabel, target.ServedBy, failed, elapsed);
        // Per deployment only: an agent's legacy URL is no deployment to promote, guard or show figures for.
        if (target.DeploymentId is { } deploymentId && options.CurrentValue.TrafficFigures)
            figures.Record(target.AgentId, deploymentId, failed, elapsed);
    }

    /// <summary>
    /// Answers a call the forwarder could not complete; true when the answer broke off after it started (its status
    /// code says nothing then).
    /// </summary>
    private async Task<bool> FailedAsync(HttpContext context, RouteTarget target, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.ResponseBodyClient || context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            LogCallerGone(target.AgentId, target.ServedBy, error);
            return false;
        }

        if (context.Response.HasStarted)
        {
            // The agent's answer was cut off after its headers went out; YARP aborts the connection so the caller
            // sees a truncated response rather than a complete-looking one.
            LogBrokenMidResponse(exception, target.AgentId, target.ServedBy, error);
            return true;
        }

        var (status, title, detail) = Describe(error, exception);
        LogFailed(target.AgentId, target.ServedBy, target.Url.Authority, error, status, exception?.Message);
        context.Response.Clear();
        context.Response.Headers[RpcHeaders.Deployment] = target.ServedBy;
        var problem = Problems.Make(status, title, detail, null);
        problem.ProblemDetails.Extensions["deployment"] = target.ServedBy;
        await problem.ExecuteAsync(context).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The per-request YARP settings, built once per options value rather than on every call (the record is
    /// immutable, so sharing it is safe); a changed ActivityTimeout is picked up on the next request.
    /// </summary>
    private ForwarderRequestConfig RequestConfig()
    {
        var timeout = options.CurrentValue.ActivityTimeout;
        var cached = _config;
        if (cached is not null && cached.ActivityTimeout == timeout) return cached;
        return _config = new ForwarderRequestConfig { ActivityTimeout = timeout };
    }

    private ForwarderRequestConfig? _config;

    private static (int Status, string Title, string Detail) Describe(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "Agent timed out",
            "The agent did not answer within the routing activity timeout."),
        ForwarderError.RequestBodyClient => (StatusCodes.Status400BadRequest, "Invalid request",
            "The request body could not be read from the caller."),
        _ when Find<UnsafeDestinationException>(exception) is { } unsafeDestination => (StatusCodes.Status502BadGateway,
            "Agent address refused", unsafeDestination.Message),
        _ => (StatusCodes.Status502BadGateway, "Agent unreachable", "The agent could not be reached or gave no valid answer."),
    };

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "RPC to agent {AgentId} ({ServedBy}) ended early: the caller went away ({Error})")]
    private partial void LogCallerGone(Guid agentId, string servedBy, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RPC to agent {AgentId} ({ServedBy}) broke after the response started ({Error})")]
    private partial void LogBrokenMidResponse(Exception? exception, Guid agentId, string servedBy, ForwarderError error);

    // The agent's authority only: a URL's path or query may carry something that does not belong in logs.
    [LoggerMessage(Level = LogLevel.Warning, Message = "RPC to agent {AgentId} ({ServedBy}) at {Authority} failed: {Error} -> {Status}: {Reason}")]
    private partial void LogFailed(Guid agentId, string servedBy, string authority, ForwarderError error, int status, string? reason);
}
