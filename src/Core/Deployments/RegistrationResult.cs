using Cutover.Core.Domain;

namespace Cutover.Core.Deployments;

public sealed record RegistrationResult(Agent Agent, Deployment? Deployment);
