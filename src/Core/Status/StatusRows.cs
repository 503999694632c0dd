using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cutover.Core.Status;

/// <summary>The row statements of the entities the status writer handles, built once from the model.</summary>
internal sealed class StatusRows(IModel model, ISqlGenerationHelper sql)
{
    public EntityRows<Agent> Agents { get; } = new(model, sql);

    public EntityRows<TimelineEvent> Events { get; } = new(model, sql);

    public static StatusRows For(CutoverDbContext db) => new(db.Model, db.GetService<ISqlGenerationHelper>());
}
