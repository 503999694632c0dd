namespace Cutover.Dashboard.Routing;

/// <summary>An agent's host resolved only to addresses <see cref="UrlSafety"/> refuses; no connection was made.</summary>
public sealed class UnsafeDestinationException(string message) : IOException(message);
