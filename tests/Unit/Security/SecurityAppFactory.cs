using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cutover.Tests.Unit.Security;

/// <summary>
/// The real app with a hand-moved clock and every log line recorded. Sign-in rate limits are raised so tests that
/// sign in repeatedly measure lock-out, not the limiter; <see cref="RateLimitedAppFactory"/> keeps the defaults.
/// </summary>
public class SecurityAppFactory : CutoverAppFactory
{
    public SecurityAppFactory()
        : this(raiseSignInLimit: true)
    {
    }

    protected SecurityAppFactory(bool raiseSignInLimit)
    {
        if (raiseSignInLimit) With("Cutover:RateLimits:SignIn:PermitLimit", "10000");
    }

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}
