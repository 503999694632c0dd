namespace Cutover.Tests.Unit.Security;

/// <summary>The app with the default sign-in rate limit (the one a deployment gets).</summary>
public sealed class RateLimitedAppFactory() : SecurityAppFactory(raiseSignInLimit: false);
