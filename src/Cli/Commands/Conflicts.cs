using Cutover.Cli.Api;

namespace Cutover.Cli.Commands;

/// <summary>A stale confirmation (409) told in full: who is production now, so the person can look again.</summary>
public static class Conflicts
{
    public static async Task<T> NamingProductionAsync<T>(CutoverClient client, AgentView agent, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (CliException e) when (e.Problem is { IsStaleConfirmation: true } problem)
        {
            var now = problem.CurrentProductionDeploymentId is { } id
                ? DeploymentCommands.Describe(await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{id}", cancellationToken))
                : "(none)";
            throw new CliException(ExitCodes.Conflict,
                $"{problem.Message}{Environment.NewLine}Production of {agent.Name} is now {now}. Nothing was changed; look again and retry.", problem);
        }
    }
}
