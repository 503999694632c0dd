using System.Text.RegularExpressions;

namespace Cutover.Core.Domain;

/// <summary>The one rule for an agent's name, for the API's edge and for manifests alike.</summary>
public static partial class AgentNameRule
{
    public const string Description = "may contain letters, digits, '.', '_' and '-', and must start with a letter or digit";

    public static bool IsValid(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= Agent.NameMaxLength && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Pattern();
}
