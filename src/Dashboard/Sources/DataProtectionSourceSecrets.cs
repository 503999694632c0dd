using Cutover.Core.Sources;
using Microsoft.AspNetCore.DataProtection;

namespace Cutover.Dashboard.Sources;

/// <summary>Sources' webhook secrets and access tokens, encrypted with the app's Data Protection keys.</summary>
public sealed class DataProtectionSourceSecrets(IDataProtectionProvider provider) : ISourceSecrets
{
    private readonly IDataProtector _protector = provider.CreateProtector("Cutover.Sources.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
