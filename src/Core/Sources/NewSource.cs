namespace Cutover.Core.Sources;

/// <summary>What creating a source asks for; the secrets arrive in plain text and are stored only encrypted.</summary>
public sealed record NewSource(string? Name, string? RepoUrl, string? Branch, string? Path, string? PollInterval,
    string? WebhookSecret, string? AccessToken);
