using Cutover.Core.Notifications;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>
/// A stand-in at the one seam that needs the host's key ring (Data Protection): reversible, and visibly not the
/// plaintext, for Core-level tests that run without the host. The host's real protector is tested through the API.
/// </summary>
public sealed class PlainSecrets : INotificationSecrets
{
    public string Protect(string plaintext) => "protected:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext));

    public string Unprotect(string protectedText) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(protectedText["protected:".Length..]));
}
