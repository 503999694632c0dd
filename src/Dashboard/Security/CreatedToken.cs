namespace Cutover.Dashboard.Security;

/// <summary>A token just created: the only moment its text exists outside the caller's hands.</summary>
public sealed record CreatedToken(TokenSummary Token, string Text);
