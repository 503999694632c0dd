using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Provisioning;
using Cutover.Core.Status;
using Cutover.Dashboard.Notifications;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>Which committed changes need a person, and the retry schedule's bounds.</summary>
public sealed class NotificationEventsTests
{
    private static StatusChange Change(EventKind kind, string field, string? from, string? to, Guid? deploymentId = null) =>
        new(Guid.NewGuid(), deploymentId, field, from, to, 1, DateTime.UtcNow, kind, "test", null);

    [Theory]
    [InlineData(EventKind.Promoted, StatusField.Production, null, "x", NotificationEvents.Promoted)]
    [InlineData(EventKind.RolledBack, StatusField.Production, "a", "b", NotificationEvents.RolledBack)]
    [InlineData(EventKind.AutoReverted, StatusField.Production, "a", "b", NotificationEvents.AutoReverted)]
    [InlineData(EventKind.GuardBreached, StatusField.Guard, "Watching", "Breached", NotificationEvents.GuardBreached)]
    [InlineData(EventKind.GuardPassed, StatusField.Guard, "Watching", "Passed", null)]
    [InlineData(EventKind.Failed, StatusField.DeploymentStatus, "Pending", "Failed", NotificationEvents.DeployFailed)]
    [InlineData(EventKind.HealthChanged, StatusField.Health, "Healthy", "Unhealthy", NotificationEvents.ProductionUnhealthy)]
    [InlineData(EventKind.SyncChanged, StatusField.Sync, "Syncing", "OutOfSync", NotificationEvents.SyncFailed)]
    // Changes that need nobody.
    [InlineData(EventKind.HealthChanged, StatusField.DeploymentHealth, "Healthy", "Unhealthy", null)]
    [InlineData(EventKind.HealthChanged, StatusField.Health, "Unhealthy", "Healthy", null)]
    [InlineData(EventKind.HealthChanged, StatusField.Health, "Healthy", "Unknown", null)]
    [InlineData(EventKind.SyncChanged, StatusField.Sync, "Syncing", "Synced", null)]
    [InlineData(EventKind.Ready, StatusField.DeploymentStatus, "Pending", "Ready", null)]
    [InlineData(EventKind.Demoted, StatusField.Production, "true", "false", null)]
    [InlineData(EventKind.Created, StatusField.DeploymentCreated, null, "img", null)]
    public void Of_StatusChange_MapsOnlyWhatNeedsAPerson(EventKind kind, string field, string? from, string? to, string? expected) =>
        Assert.Equal(expected, NotificationEvents.Of(Change(kind, field, from, to)));

    [Fact]
    public void Of_RunChange_OnlyTheRunItselfEndingFailed()
    {
        var run = Guid.NewGuid();
        Assert.Equal(NotificationEvents.ProvisioningFailed, NotificationEvents.Of(new RunChange(run, RunStatus.Failed, null, null, null, null, null, "x", 3, DateTime.UtcNow)));
        Assert.Null(NotificationEvents.Of(new RunChange(run, RunStatus.Failed, Guid.NewGuid(), "a", null, null, LedgerStep.Failed, "x", 4, DateTime.UtcNow)));
        Assert.Null(NotificationEvents.Of(new RunChange(run, RunStatus.Succeeded, null, null, null, null, null, null, 5, DateTime.UtcNow)));
    }

    [Fact]
    public void RetrySchedule_DoublesWithinJitter_IsCapped_AndGivesUp()
    {
        var o = new NotificationOptions { RetryBase = TimeSpan.FromSeconds(2), RetryCap = TimeSpan.FromSeconds(30), MaxAttempts = 8, MaxAge = TimeSpan.FromHours(1) };
        var created = new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc);
        var now = created.AddMinutes(1);
        for (var attempts = 1; attempts < 8; attempts++)
        {
            var full = Math.Min(2 * Math.Pow(2, attempts - 1), 30);
            Assert.Equal(full / 2, (RetrySchedule.Next(o, attempts, created, now, 0)!.Value - now).TotalSeconds, 3);
            Assert.Equal(full, (RetrySchedule.Next(o, attempts, created, now, 1)!.Value - now).TotalSeconds, 3);
        }

        Assert.Null(RetrySchedule.Next(o, 8, created, now, 0.5));
        Assert.Null(RetrySchedule.Next(o, 2, created, created.AddHours(1), 0.5));
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX", "https://hooks.slack.com/services/…")]
    [InlineData("https://example.com/hook?token=abc", "https://example.com/hook/…")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/")]
    [InlineData("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook")]
    public void Redact_ShowsWhereNotHowToPost(string url, string shown) => Assert.Equal(shown, NotificationDto.Redact(url));
}
