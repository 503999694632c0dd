namespace Cutover.Core.Domain;

/// <summary>
/// One ASP.NET Core Data Protection key (the XML the key manager writes), kept in the database when several nodes
/// share it, so a cookie one node issued is readable on every other.
/// </summary>
public sealed class DataProtectionKey
{
    private DataProtectionKey()
    {
        FriendlyName = string.Empty;
        Xml = string.Empty;
    }

    public DataProtectionKey(string friendlyName, string xml)
    {
        FriendlyName = friendlyName;
        Xml = xml;
    }

    public int Id { get; private set; }

    public string FriendlyName { get; private set; }

    public string Xml { get; private set; }
}
