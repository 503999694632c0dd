using System.Net;
using Cutover.Core.Health;
using Cutover.Dashboard.Routing;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

/// <summary>
/// Probes <c>{acpUrl}/healthz</c> with one shared HttpClient. Redirects are followed by hand and only on the same
/// origin (scheme, host, port): an agent must not be able to aim the control plane at another host.
/// </summary>
public sealed class HealthProber(IHttpClientFactory httpClientFactory, UrlSafety urlSafety, IOptions<HealthOptions> options, TimeProvider time)
{
    public const string ClientName = "cutover-health-probe";
    private const int MaxRedirects = 3;

    // One client for the life of the app; the handler's PooledConnectionLifetime (see HealthExtensions) keeps DNS fresh.
    private readonly HttpClient _client = httpClientFactory.CreateClient(ClientName);

    public async Task<ProbeResult> ProbeAsync(string acpUrl, CancellationToken cancellationToken)
    {
        if (urlSafety.Check(acpUrl) is { } refused) return ProbeResult.Failed(refused);
        var uri = HealthzOf(new Uri(acpUrl));
        var timeout = options.Value.ProbeTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = new Uri(uri, location);
                    if (!SameOrigin(uri, next)) return ProbeResult.Failed($"HTTP {status} redirects to another host, which is not followed");
                    if (hop >= MaxRedirects) return ProbeResult.Failed("Too many redirects");
                    uri = next;
                    continue;
                }

                return response.IsSuccessStatusCode ? ProbeResult.Ok(status) : ProbeResult.Failed($"HTTP {status} {response.ReasonPhrase}".TrimEnd());
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed($"No answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Failed(e.HttpRequestError == HttpRequestError.Unknown ? "Unreachable" : $"Unreachable ({e.HttpRequestError})");
        }
    }

    /// <summary><c>http://host/base</c> and <c>http://host/base/</c> both probe <c>http://host/base/healthz</c>.</summary>
    public static Uri HealthzOf(Uri acpUrl)
    {
        var b = new UriBuilder(acpUrl) { Query = string.Empty, Fragment = string.Empty };
        b.Path = b.Path.TrimEnd('/') + "/healthz";
        return b.Uri;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
