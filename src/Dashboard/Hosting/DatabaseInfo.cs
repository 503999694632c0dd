namespace Cutover.Dashboard.Hosting;

/// <summary>What the dashboard shows about its own database: provider and location (never credentials).</summary>
public sealed record DatabaseInfo(string Provider, string Location);
