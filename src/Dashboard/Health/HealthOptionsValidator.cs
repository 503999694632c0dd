using Cutover.Core.Health;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

/// <summary>Refuses to start with health options that contradict each other, saying which.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
