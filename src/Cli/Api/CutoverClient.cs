using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Cutover.Cli.Api;

/// <summary>
/// The HTTP API (API.md) as the CLI uses it. Every non-success answer becomes a <see cref="CliException"/> carrying
/// the problem details; a server that cannot be reached is one too. The token goes only in the Authorization header
/// and never into a message.
/// </summary>
public sealed class CutoverClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    public CutoverClient(ServerTarget target)
    {
        Target = target;
        _http = new HttpClient { BaseAddress = target.Server };
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("cutover-cli", "1"));
        if (target.Token is { } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public ServerTarget Target { get; }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        Convert<T>(await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken));

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return Convert<T>(await SendAsync(request, cancellationToken));
    }

    /// <summary>Sends and reads the whole answer as JSON; throws on a non-success status.</summary>
    public async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await OpenAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Failed, $"{Target.Key} answered {request.RequestUri} with something that is not JSON: is it a Cutover server?");
        }
    }

    /// <summary>
    /// Sends and returns as soon as the headers arrived (the body is read by the caller, as it streams); throws on a
    /// non-success status with the problem details read.
    /// </summary>
    public async Task<HttpResponseMessage> OpenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Failed, $"Cannot reach {Target.Key}: {Reason(e)}");
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var problem = ApiProblem.Read((int)response.StatusCode, response.ReasonPhrase, body);
            throw CliException.From(problem, response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $"The server refused the token (none, unknown, revoked or expired): run 'cutover login --server {Target.Key}'.",
                HttpStatusCode.Forbidden => "The token's role does not allow this.",
                _ => null,
            });
        }
    }

    public void Dispose() => _http.Dispose();

    private static T Convert<T>(JsonElement json) =>
        typeof(T) == typeof(JsonElement) ? (T)(object)json : json.Deserialize<T>(Json)!;

    private static string Reason(HttpRequestException e) =>
        e.InnerException is SocketException s ? s.Message : e.InnerException?.Message ?? e.Message;
}
