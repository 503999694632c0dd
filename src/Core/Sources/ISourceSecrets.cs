namespace Cutover.Core.Sources;

/// <summary>
/// Encrypts a source's webhook secret and access token for storage (Data Protection in the host) and decrypts them
/// only where they are used: verifying a webhook, fetching from the repository.
/// </summary>
public interface ISourceSecrets
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}
