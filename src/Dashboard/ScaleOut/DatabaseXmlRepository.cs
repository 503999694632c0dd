using System.Xml.Linq;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Data Protection's key ring in the shared database (on PostgreSQL, where several nodes may run): every node reads
/// the same keys, so the sign-in and antiforgery cookies one node issued work on all of them.
/// </summary>
internal sealed class DatabaseXmlRepository(IDbContextFactory<CutoverDbContext> dbFactory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        db.SaveChanges();
    }
}
