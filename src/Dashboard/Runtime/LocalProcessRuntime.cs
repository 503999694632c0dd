using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Runs each deployment as a child process on a free loopback port, with the command configured for its image.
/// Children get a scrubbed environment (never the dashboard's secrets), an agent token, and this process's pid to
/// watch; they are killed with their whole tree on stop, on delete, and when the dashboard stops.
/// </summary>
public sealed partial class LocalProcessRuntime : IDeploymentRuntime, IAsyncDisposable
{
    // Passed through from the dashboard's environment so `dotnet` and the OS work; everything else is dropped.
    private static readonly string[] InheritedVariables =
    [
        "PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_CLI_HOME", "DOTNET_NOLOGO", "DOTNET_CLI_TELEMETRY_OPTOUT",
        "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "NUGET_PACKAGES",
    ];

    private readonly IOptionsMonitor<LocalRuntimeOptions> _options;
    private readonly ControlPlaneAddress _address;
    private readonly AgentTokenIssuer _tokens;
    private readonly PathTokens _paths;
    private readonly ILogger<LocalProcessRuntime> _logger;
    private readonly ConcurrentDictionary<Guid, LocalProcess> _processes = new();
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private volatile bool _stopping;

    public LocalProcessRuntime(IOptionsMonitor<LocalRuntimeOptions> options, ControlPlaneAddress address, AgentTokenIssuer tokens,
        ILogger<LocalProcessRuntime> logger)
        : this(options, address, tokens, PathTokens.Discover(), logger)
    {
    }

    internal LocalProcessRuntime(IOptionsMonitor<LocalRuntimeOptions> options, ControlPlaneAddress address, AgentTokenIssuer tokens,
        PathTokens paths, ILogger<LocalProcessRuntime> logger)
    {
        _options = options;
        _address = address;
        _tokens = tokens;
        _paths = paths;
        _logger = logger;
    }

    public bool IsEnabled => _options.CurrentValue.Enabled;

    public IReadOnlyList<string> Images => [.. _options.CurrentValue.Images.Keys];

    public bool CanRun(DockerImage image) => _options.CurrentValue.Images.ContainsKey(image.Value);

    public async Task<Outcome<RuntimeInstance>> StartAsync(DeploymentLaunch launch, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        if (_stopping) return Failure.Conflict("The dashboard is stopping; nothing new is started.");
        if (!options.Enabled) return Failure.Conflict("The local runtime is disabled (Cutover:Runtime:Local:Enabled).");
        if (!options.Images.TryGetValue(launch.Image.Value, out var image))
            return Failure.Conflict($"No local command is configured for image {launch.Image}.");
        if (_address.Resolve() is not { } controlPlane)
            return Failure.Conflict("The control plane's own URL is not known yet; set Cutover:Runtime:Local:ControlPlaneUrl.");
        if (Prepare(image) is not { } command) return Failure.Conflict(MissingReason(image));

        var token = await _tokens.GetAsync(launch.AgentName, cancellationToken).ConfigureAwait(false);
        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopping) return Failure.Conflict("The dashboard is stopping; nothing new is started.");
            // A relaunch replaces the old process; the old one's exit is marked as requested.
            if (_processes.TryRemove(launch.DeploymentId, out var previous))
            {
                await previous.StopAsync(options.StopTimeout).ConfigureAwait(false);
                previous.Dispose();
            }

            var port = FreeLoopbackPort();
            var psi = BuildStartInfo(command, launch, controlPlane, token, port);
            LocalProcess process;
            try
            {
                process = LocalProcess.Start(psi, options.OutputLines);
            }
            catch (Win32Exception e)
            {
                return Failure.Conflict($"Could not run '{command.Command}': {e.Message}");
            }

            _processes[launch.DeploymentId] = process;
            LogStarted(_logger, launch.DeploymentId, launch.AgentName, launch.Image.Value, process.ProcessId, port);
            return new RuntimeInstance(launch.DeploymentId, process.ProcessId, process.Exited);
        }
        finally
        {
            _startLock.Release();
        }
    }

    public async Task StopAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        if (!_processes.TryGetValue(deploymentId, out var process)) return;
        await process.StopAsync(_options.CurrentValue.StopTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(_logger, deploymentId, process.ProcessId);
    }

    public RuntimeState GetState(Guid deploymentId) =>
        _processes.TryGetValue(deploymentId, out var p) ? p.State() : RuntimeState.Unknown;

    public RuntimeOutput GetOutput(Guid deploymentId) =>
        _processes.TryGetValue(deploymentId, out var p) ? p.Output() : RuntimeOutput.Empty;

    /// <summary>Stops every process and refuses new ones (the dashboard is shutting down).</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var timeout = _options.CurrentValue.StopTimeout;
        await Task.WhenAll(_processes.Values.Select(p => p.StopAsync(timeout))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Bounded: a process that ignores SIGKILL is beyond help; its parent-pid watch still ends it.
        }

        foreach (var p in _processes.Values) p.Dispose();
        _processes.Clear();
    }

    private PreparedCommand? Prepare(LocalImage image)
    {
        var command = _paths.Expand(image.Command);
        var args = image.Args.Select(_paths.Expand).ToList();
        var env = image.Environment.ToDictionary(kv => kv.Key, kv => _paths.Expand(kv.Value));
        var workDir = image.WorkingDirectory is { } w ? _paths.Expand(w) : _paths.AppDir;
        // `dotnet some.dll` with a missing dll fails late and obscurely; say plainly that it was not built.
        if (args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !File.Exists(a)) is not null) return null;
        return new PreparedCommand(command, args, env, workDir);
    }

    private string MissingReason(LocalImage image)
    {
        var dll = image.Args.Select(_paths.Expand).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        return dll is not null ? $"{dll} does not exist; build the solution first." : "The image's command could not be prepared.";
    }

    private ProcessStartInfo BuildStartInfo(PreparedCommand command, DeploymentLaunch launch, string controlPlane, string token, int port)
    {
        var psi = new ProcessStartInfo(command.Command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory,
        };
        foreach (var arg in command.Args) psi.ArgumentList.Add(arg);

        var inherited = InheritedVariables.Select(k => (k, Environment.GetEnvironmentVariable(k))).ToList();
        psi.Environment.Clear();
        foreach (var (k, v) in inherited)
        {
            if (v is not null) psi.Environment[k] = v;
        }

        foreach (var (k, v) in command.Environment) psi.Environment[k] = v;
        psi.Environment["AGENT_NAME"] = launch.AgentName;
        psi.Environment["AGENT_DEPLOYMENT_ID"] = launch.DeploymentId.ToString();
        psi.Environment["AGENT_IMAGE"] = launch.Image.Value;
        psi.Environment["AGENT_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["AGENT_URL"] = $"http://127.0.0.1:{port}";
        psi.Environment["CUTOVER_URL"] = controlPlane;
        psi.Environment["CUTOVER_TOKEN"] = token;
        psi.Environment["CUTOVER_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return psi;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record PreparedCommand(string Command, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment,
        string WorkingDirectory);

    [LoggerMessage(LogLevel.Information, "Started deployment {DeploymentId} of {Agent} ({Image}) as process {ProcessId} on port {Port}")]
    private static partial void LogStarted(ILogger logger, Guid deploymentId, string agent, string image, int processId, int port);

    [LoggerMessage(LogLevel.Information, "Stopped deployment {DeploymentId} (process {ProcessId})")]
    private static partial void LogStopped(ILogger logger, Guid deploymentId, int processId);
}
