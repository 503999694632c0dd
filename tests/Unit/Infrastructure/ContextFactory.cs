using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>The tests' one <see cref="IDbContextFactory{TContext}"/>: a new context over fixed options per call.</summary>
public sealed class ContextFactory(DbContextOptions<CutoverDbContext> options) : IDbContextFactory<CutoverDbContext>
{
    public CutoverDbContext CreateDbContext() => new(options);
}
