using System.Net.Http.Headers;
using System.Text;
using Cutover.Core.Results;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Sends one JSON-RPC request to an agent from inside the server (the dashboard's "Try it" panel): the same route
/// resolution and the same shared invoker as forwarded calls, without an HTTP call from the server to itself.
/// Callers check authorization first; this service does not know who is asking.
/// </summary>
public sealed class RpcClient(
    RouteResolver resolver,
    ForwardingInvoker invoker,
    IOptionsMonitor<RoutingOptions> options,
    TimeProvider time)
{
    public async Task<RpcReply> SendAsync(Guid agentId, Guid? deploymentId, string json, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var route = deploymentId is { } id
            ? await resolver.ResolvePreviewAsync(agentId, id, cancellationToken).ConfigureAwait(false)
            : await resolver.ResolveProductionAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (route.Failure is { } failure) return Refused(Api.Problems.StatusOf(failure.Kind), failure.Detail, null, started);

        var target = route.Value!;
        var o = options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.ActivityTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await invoker.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var (body, truncated) = await ReadCappedAsync(response.Content, o.TryItMaxResponseBytes, timeout.Token).ConfigureAwait(false);
            return new RpcReply((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString(),
                time.GetElapsedTime(started), target.ServedBy, FromAgent: true, truncated);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused(StatusCodes.Status504GatewayTimeout, "The agent did not answer within the routing activity timeout.", target, started);
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is UnsafeDestinationException u ? u.Message : "The agent could not be reached or gave no valid answer.";
            return Refused(StatusCodes.Status502BadGateway, reason, target, started);
        }
    }

    private RpcReply Refused(int status, string detail, RouteTarget? target, long started) =>
        new(status, detail, null, time.GetElapsedTime(started), target?.ServedBy, FromAgent: false, Truncated: false);

    /// <summary>Reads at most <paramref name="max"/> bytes: a panel must not pull an endless stream into memory.</summary>
    private static async Task<(string Body, bool Truncated)> ReadCappedAsync(HttpContent content, int max, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[max + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false)) > 0) read += n;
        var truncated = read > max;
        return (Encoding.UTF8.GetString(buffer, 0, Math.Min(read, max)), truncated);
    }
}
