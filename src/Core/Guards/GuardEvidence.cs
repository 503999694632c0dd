using System.Globalization;
using Cutover.Core.Domain;

namespace Cutover.Core.Guards;

/// <summary>What a guard saw of its deployment: RPCs Cutover forwarded to it since the guard began, and its health.</summary>
public sealed record GuardEvidence(long Requests, long Errors, HealthStatus Health, DeploymentStatus Status = DeploymentStatus.Ready)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public string Describe() =>
        $"{Errors.ToString("N0", CultureInfo.InvariantCulture)} errors in {Requests.ToString("N0", CultureInfo.InvariantCulture)} calls "
        + $"({GuardSettings.Percent(ErrorRate)}), health {Health}";
}
