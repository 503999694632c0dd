using System.Collections.Concurrent;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Runtime;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// A runtime without processes, for the deploy service and component tests: per image it registers the deployment
/// through the real registration path, exits, hangs, refuses or throws. The real runtime is tested with real
/// processes in <see cref="LocalRuntimeTests"/>.
/// </summary>
internal sealed class FakeRuntime(DeploymentService deployments) : IDeploymentRuntime
{
    public enum Behaviour
    {
        Register,
        ExitBeforeRegistering,
        Hang,
        Refuse,
        Throw,
    }

    private readonly ConcurrentDictionary<Guid, Instance> _instances = new();

    public Dictionary<string, Behaviour> ImageBehaviour { get; } = new()
    {
        ["cutover/sample-agent:1.0"] = Behaviour.Register,
        ["cutover/sample-agent:2.0"] = Behaviour.Register,
    };

    public bool IsEnabled { get; set; } = true;

    public IReadOnlyList<string> Images => [.. ImageBehaviour.Keys];

    public ConcurrentBag<Guid> Stopped { get; } = [];

    public bool CanRun(DockerImage image) => ImageBehaviour.ContainsKey(image.Value);

    public Task<Outcome<RuntimeInstance>> StartAsync(DeploymentLaunch launch, CancellationToken cancellationToken)
    {
        var behaviour = ImageBehaviour[launch.Image.Value];
        if (behaviour == Behaviour.Refuse) return Task.FromResult<Outcome<RuntimeInstance>>(Failure.Conflict("refused by the fake runtime"));
        if (behaviour == Behaviour.Throw) throw new InvalidOperationException("the fake runtime blew up");

        var instance = new Instance();
        _instances[launch.DeploymentId] = instance;
        instance.Output.Enqueue($"{launch.AgentName} starting {launch.Image}");
        if (behaviour == Behaviour.Register)
        {
            _ = Task.Run(() => deployments.RegisterAsync(
                new RegisterCommand(launch.AgentName, null, "http://127.0.0.1:9/", launch.DeploymentId, launch.Image.Value, null),
                $"agent:{launch.AgentName}", CancellationToken.None));
        }
        else if (behaviour == Behaviour.ExitBeforeRegistering)
        {
            instance.Output.Enqueue("fatal: cannot start");
            _ = Task.Run(() => instance.Exit(3, requested: false));
        }

        return Task.FromResult<Outcome<RuntimeInstance>>(new RuntimeInstance(launch.DeploymentId, 4242, instance.Exited.Task));
    }

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        Stopped.Add(deploymentId);
        if (_instances.TryGetValue(deploymentId, out var i)) i.Exit(137, requested: true);
        return Task.CompletedTask;
    }

    /// <summary>Makes a running deployment's process die on its own.</summary>
    public void Die(Guid deploymentId, int exitCode) => _instances[deploymentId].Exit(exitCode, requested: false);

    public void Write(Guid deploymentId, string line) => _instances[deploymentId].Output.Enqueue(line);

    public RuntimeState GetState(Guid deploymentId) => !_instances.TryGetValue(deploymentId, out var i) ? RuntimeState.Unknown
        : i.Exited.Task.IsCompleted ? RuntimeState.Exited(i.Exited.Task.Result.ExitCode, 4242) : RuntimeState.Running(4242);

    public RuntimeOutput GetOutput(Guid deploymentId) =>
        _instances.TryGetValue(deploymentId, out var i) ? new RuntimeOutput([.. i.Output], i.Output.Count) : RuntimeOutput.Empty;

    private sealed class Instance
    {
        public TaskCompletionSource<RuntimeExit> Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Output { get; } = new();

        public void Exit(int code, bool requested) => Exited.TrySetResult(new RuntimeExit(code, requested, [.. Output]));
    }
}
