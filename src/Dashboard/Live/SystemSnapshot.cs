namespace Cutover.Dashboard.Live;

/// <summary>The System page: what runs, where, since when, and how much it holds.</summary>
public sealed record SystemSnapshot(
    string Version,
    DateTime StartedAt,
    string Node,
    string DatabaseProvider,
    string DatabaseLocation,
    int Agents,
    int Deployments,
    int Production,
    int Events,
    int Users,
    DateTime CheckedAt);
