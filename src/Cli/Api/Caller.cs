namespace Cutover.Cli.Api;

/// <summary><c>GET /api/me</c>: who the token acts as.</summary>
public sealed record Caller(string Name, string Kind, string? Role, string Actor);
