using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cutover.SampleAgent;

/// <summary>
/// Everything the agent is told through its environment. The local runtime sets these; a person running the
/// agent by hand can set them too (all but AGENT_NAME and CUTOVER_URL have defaults).
/// </summary>
public sealed record AgentSettings
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Image { get; init; }

    public Guid? DeploymentId { get; init; }

    /// <summary>0 lets the OS pick a free port; the bound URL is printed either way.</summary>
    public int Port { get; init; }

    /// <summary>The URL to register (AGENT_URL); when null the bound loopback address is used.</summary>
    public string? PublicUrl { get; init; }

    public Uri? ControlPlane { get; init; }

    public string? Token { get; init; }

    public string? Description { get; init; }

    public string CommitHash { get; init; } = "";

    public string Branch { get; init; } = "main";

    public string AuthorName { get; init; } = "Cutover Samples";

    public string BuildTimestamp { get; init; } = "";

    public TimeSpan Delay { get; init; }

    /// <summary>Share of RPC calls (0..1) answered with a JSON-RPC error.</summary>
    public double FailRate { get; init; }

    public bool Unhealthy { get; init; }

    /// <summary>When set, health alternates Healthy/Unhealthy every this many seconds.</summary>
    public double? FlapSeconds { get; init; }

    public bool CrashOnStart { get; init; }

    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The process that started this one; when it disappears the agent exits (no orphans).</summary>
    public int? ParentPid { get; init; }

    public static AgentSettings FromEnvironment(Func<string, string?> env)
    {
        var version = Text(env, "AGENT_VERSION") ?? "1.0";
        return new AgentSettings
        {
            Name = Text(env, "AGENT_NAME") ?? "sample-agent",
            Version = version,
            Image = Text(env, "AGENT_IMAGE") ?? $"cutover/sample-agent:{version}",
            DeploymentId = Guid.TryParse(env("AGENT_DEPLOYMENT_ID"), out var id) ? id : null,
            Port = Int(env, "AGENT_PORT") ?? 0,
            PublicUrl = Text(env, "AGENT_URL"),
            ControlPlane = Uri.TryCreate(Text(env, "CUTOVER_URL"), UriKind.Absolute, out var cp) ? cp : null,
            Token = Text(env, "CUTOVER_TOKEN"),
            Description = Text(env, "AGENT_DESCRIPTION"),
            CommitHash = Text(env, "AGENT_COMMIT") ?? FakeCommit(version),
            Branch = Text(env, "AGENT_BRANCH") ?? "main",
            AuthorName = Text(env, "AGENT_AUTHOR") ?? "Cutover Samples",
            BuildTimestamp = Text(env, "AGENT_BUILD_TIMESTAMP") ?? BuildTime(),
            Delay = TimeSpan.FromMilliseconds(Math.Max(0, Int(env, "AGENT_DELAY_MS") ?? 0)),
            FailRate = Math.Clamp(Double(env, "AGENT_FAIL_RATE") ?? 0, 0, 1),
            Unhealthy = Bool(env, "AGENT_UNHEALTHY"),
            FlapSeconds = Double(env, "AGENT_FLAP_SECONDS") is > 0 and var f ? f : null,
            CrashOnStart = Bool(env, "AGENT_CRASH_ON_START"),
            HealthInterval = TimeSpan.FromMilliseconds(Math.Max(100, Int(env, "AGENT_HEALTH_INTERVAL_MS") ?? 5000)),
            ParentPid = Int(env, "CUTOVER_PARENT_PID"),
        };
    }

    private static string? Text(Func<string, string?> env, string key) => env(key) is { Length: > 0 } v ? v.Trim() : null;

    private static int? Int(Func<string, string?> env, string key) =>
        int.TryParse(env(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? Double(Func<string, string?> env, string key) =>
        double.TryParse(env(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool Bool(Func<string, string?> env, string key) =>
        env(key) is { } v && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1");

    // A stable, plausible commit per version, so the dashboard's timeline shows distinct builds.
    private static string FakeCommit(string version) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("cutover-sample-agent@" + version)));

    private static string BuildTime() =>
        File.GetLastWriteTimeUtc(typeof(AgentSettings).Assembly.Location).ToString("O", CultureInfo.InvariantCulture);
}
