using Cutover.Core.Notifications;
using Microsoft.AspNetCore.DataProtection;

namespace Cutover.Dashboard.Notifications;

/// <summary>Subscriptions' signing secrets, encrypted with the app's Data Protection keys (shared by every node).</summary>
public sealed class DataProtectionNotificationSecrets(IDataProtectionProvider provider) : INotificationSecrets
{
    private readonly IDataProtector _protector = provider.CreateProtector("Cutover.Notifications.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
