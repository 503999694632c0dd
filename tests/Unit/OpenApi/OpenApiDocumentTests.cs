using System.Net;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Routing;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> and <c>/scalar</c>: every route the app maps is in the document with its schemas, problem
/// details and the bearer scheme; only viewers may read them unless <c>Cutover:OpenApi:Anonymous</c> opens them.
/// </summary>
public sealed class OpenApiDocumentTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    [Fact]
    public async Task Document_EveryMappedRoute_IsDescribed()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        var described = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();

        var mapped = MappedRoutes().ToList();
        Assert.Contains("POST /api/agents/{id}/rpc", mapped);
        Assert.Contains("GET /metrics", mapped);
        var missing = mapped.Where(r => !described.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "Mapped but not in /openapi/v1.json:\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task Document_Operations_HaveSchemasProblemDetailsAndTheBearerScheme()
    {
        var document = await DocumentAsync();
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));

        var register = Operation(document, "post", "/api/agents/register");
        Assert.Contains("RegisterRequest", Ref(register.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")));
        Assert.Contains("AgentDto", Ref(register.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")));
        var promote = Operation(document, "post", "/api/agents/{id}/deployments/{deploymentId}/promote");
        Assert.Contains("ReasonRequest", Ref(promote.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")));
        Assert.Contains("DeploymentDto", Ref(promote.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")));
        var tokens = Operation(document, "post", "/api/tokens");
        Assert.True(tokens.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));

        foreach (var (path, method, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("default", out var fallback), $"{method} {path} says nothing of its errors");
            Assert.Contains("ProblemDetails", Ref(fallback.GetProperty("content").GetProperty("application/problem+json")));
            // The sources' webhooks carry no bearer token: each request is verified by its body's HMAC instead.
            var anonymous = path is "/healthz" or "/logout" || path.StartsWith("/api/webhooks/", StringComparison.Ordinal);
            if (anonymous) continue;
            Assert.True(operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(s => s.TryGetProperty("Bearer", out _)),
                $"{method} {path} does not name the bearer scheme");
            Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} has no 401");
        }
    }

    [Fact]
    public async Task DocumentAndScalar_WithoutViewer_AreRefused_WithViewer_AreServed()
    {
        using var anonymous = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        using (var page = await anonymous.GetAsync("/scalar/v1"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location?.PathAndQuery);
        }

        var agentToken = await new RoutingData(app.Services).CreateTokenAsync(null, "openapi-agent");
        using var agent = app.CreateClient(agentToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/openapi/v1.json")).StatusCode);

        using var viewer = app.CreateClient(await new RoutingData(app.Services).CreateTokenAsync(Role.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/openapi/v1.json")).StatusCode);
        using var scalar = await viewer.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await scalar.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DocumentAndScalar_AnonymousSetting_AreOpen()
    {
        using var open = new CutoverAppFactory();
        open.With("Cutover:OpenApi:Anonymous", "true");
        using var anonymous = open.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/scalar/v1")).StatusCode);
    }

    /// <summary>
    /// Every HTTP route the app maps, as "METHOD /path" with route constraints dropped, except the UI's own: pages,
    /// static assets, the Blazor circuit and the SignalR hubs (API.md describes /hubs/status), and the document and
    /// its reference page themselves.
    /// </summary>
    private IEnumerable<string> MappedRoutes()
    {
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var m = endpoint.Metadata;
            if (m.GetMetadata<ComponentTypeMetadata>() is not null || m.GetMetadata<HubMetadata>() is not null) continue;
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (raw.StartsWith("/_", StringComparison.Ordinal) || raw.StartsWith("/openapi/", StringComparison.Ordinal)
                || raw.StartsWith("/scalar", StringComparison.Ordinal)) continue;
            if (IsStaticAsset(raw) || IsStaticFileFallback(endpoint)) continue;
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart q => "{" + q.Name + "}",
                _ => "",
            }))));
            var methods = m.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods) yield return $"{method} {path}";
        }
    }

    /// <summary>A file from wwwroot (MapStaticAssets maps each one, with its fingerprinted name, out of the document).</summary>
    private static bool IsStaticAsset(string path) => Path.HasExtension(path);

    /// <summary>The static web assets' development fallback, <c>{**path:file}</c>.</summary>
    private static bool IsStaticFileFallback(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.Parameters.Any(p => p.IsCatchAll && endpoint.RoutePattern.ParameterPolicies.TryGetValue(p.Name, out var policies)
            && policies.Any(x => x.Content == "file"));

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.CreateAdminClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch")
            .Select(o => (p.Name, o.Name, o.Value)));

    /// <summary>The schema reference of a media type, wherever the generator put it ($ref, or an array's items).</summary>
    private static string Ref(JsonElement mediaType) => mediaType.GetProperty("schema").GetRawText();
}
