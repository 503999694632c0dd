using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cutover.SampleAgent;

/// <summary>
/// Registers the agent with the control plane (retrying with backoff while it is not up), then reports health on
/// an interval and whenever a flapping agent's health changes. Without CUTOVER_URL the agent runs standalone.
/// </summary>
public sealed partial class ControlPlaneReporter(
    AgentSettings settings,
    AgentAddress address,
    AgentHealth health,
    TimeProvider time,
    ILogger<ControlPlaneReporter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ControlPlane is not { } controlPlane)
        {
            LogStandalone(logger);
            return;
        }

        using var http = new HttpClient { BaseAddress = controlPlane, Timeout = TimeSpan.FromSeconds(10) };
        if (settings.Token is { } token) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var url = await address.Url.WaitAsync(stoppingToken);
        var agentId = await RegisterAsync(http, url, stoppingToken);
        await ReportHealthAsync(http, agentId, stoppingToken);
    }

    private async Task<Guid> RegisterAsync(HttpClient http, string url, CancellationToken stoppingToken)
    {
        var body = new
        {
            name = settings.Name,
            description = settings.Description,
            acpUrl = url,
            registrationMetadata = new
            {
                deploymentId = settings.DeploymentId,
                dockerImage = settings.Image,
                commitHash = settings.CommitHash,
                branch = settings.Branch,
                authorName = settings.AuthorName,
                buildTimestamp = settings.BuildTimestamp,
            },
        };

        var wait = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                using var response = await http.PostAsJsonAsync("api/agents/register", body, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stoppingToken));
                    var id = reply.RootElement.GetProperty("id").GetGuid();
                    LogRegistered(logger, settings.Name, id, url);
                    return id;
                }

                problem = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                problem = e.Message;
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                problem = "timed out";
            }

            LogRegisterRetry(logger, attempt, problem, wait.TotalMilliseconds);
            await Task.Delay(wait, time, stoppingToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private async Task ReportHealthAsync(HttpClient http, Guid agentId, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var healthy = health.IsHealthy;
            var body = new
            {
                status = healthy ? "Healthy" : "Unhealthy",
                deploymentId = settings.DeploymentId,
                detail = healthy ? null : settings.Unhealthy ? "AGENT_UNHEALTHY is set" : "flapping (AGENT_FLAP_SECONDS)",
            };
            try
            {
                using var response = await http.PostAsJsonAsync($"api/agents/{agentId}/health", body, stoppingToken);
                if (!response.IsSuccessStatusCode) LogHealthRefused(logger, (int)response.StatusCode);
            }
            catch (HttpRequestException e)
            {
                LogHealthFailed(logger, e.Message);
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                LogHealthFailed(logger, "timed out");
            }

            // Report again on the interval, or just after a flapping agent's health turns, whichever comes first.
            var wait = settings.HealthInterval;
            if (health.UntilNextChange is { } change && change + TimeSpan.FromMilliseconds(50) < wait)
                wait = change + TimeSpan.FromMilliseconds(50);
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "CUTOVER_URL is not set: running standalone, not registering")]
    private static partial void LogStandalone(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Registered {Name} as agent {AgentId} at {Url}")]
    private static partial void LogRegistered(ILogger logger, string name, Guid agentId, string url);

    [LoggerMessage(LogLevel.Warning, "Registration attempt {Attempt} failed ({Problem}); retrying in {DelayMs} ms")]
    private static partial void LogRegisterRetry(ILogger logger, int attempt, string problem, double delayMs);

    [LoggerMessage(LogLevel.Warning, "Health report refused with HTTP {Status}")]
    private static partial void LogHealthRefused(ILogger logger, int status);

    [LoggerMessage(LogLevel.Warning, "Health report failed: {Problem}")]
    private static partial void LogHealthFailed(ILogger logger, string problem);
}
