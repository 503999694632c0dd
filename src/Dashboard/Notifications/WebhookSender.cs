using System.Net.Http.Headers;
using System.Text;
using Cutover.Core.Notifications;
using Cutover.Core.Sources;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// POSTs one outbox row: its stored body as it is, <c>X-Cutover-Delivery</c> (the row's id, the same on every
/// attempt, for de-duplication), <c>X-Cutover-Event</c>, and when the subscription has a secret
/// <c>X-Cutover-Signature: sha256=&lt;hex HMAC-SHA256 of the body bytes&gt;</c>. Redirects are not followed; only a
/// 2xx counts as delivered. Neither the secret nor the signature is ever logged (the client logs nothing).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClientFactory, IOptions<NotificationOptions> options, TimeProvider time)
{
    public const string ClientName = "cutover-notifications";
    public const string DeliveryHeader = "X-Cutover-Delivery";
    public const string EventHeader = "X-Cutover-Event";
    public const string SignatureHeader = "X-Cutover-Signature";

    private readonly HttpClient _client = httpClientFactory.CreateClient(ClientName);

    public async Task<AttemptResult> SendAsync(NotificationDelivery delivery, string url, string? secret, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery.Id.ToString());
        request.Headers.TryAddWithoutValidation(EventHeader, delivery.Event);
        if (secret is not null) request.Headers.TryAddWithoutValidation(SignatureHeader, WebhookSignature.Sign(secret, body));
        request.Headers.UserAgent.ParseAdd("Cutover-Notifications/1");

        var timeout = options.Value.AttemptTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new AttemptResult(true, code, null)
                : new AttemptResult(false, code, code is >= 300 and < 400 ? $"HTTP {code}: redirects are not followed" : $"HTTP {code} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"No answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(false, null, Describe(e));
        }
    }

    private static string Describe(HttpRequestException e)
    {
        // The innermost message names what failed (refused, reset, unsafe address) without the URL's path.
        Exception inner = e;
        while (inner.InnerException is { } next) inner = next;
        return inner is Routing.UnsafeDestinationException or System.Net.Sockets.SocketException ? inner.Message : e.Message;
    }
}
