namespace Cutover.Core.Notifications;

/// <summary>
/// Encrypts a subscription's signing secret for storage (Data Protection in the host) and decrypts it only where a
/// body is signed, just before it is sent.
/// </summary>
public interface INotificationSecrets
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}
