namespace Cutover.Core.Sources;

/// <summary>A resolved commit: its full SHA, subject line and author.</summary>
public sealed record GitCommit(string Sha, string Subject, string Author);
