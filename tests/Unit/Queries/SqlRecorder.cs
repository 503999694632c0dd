using System.Collections.Concurrent;
using System.Data.Common;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Hosting;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cutover.Tests.Unit.Queries;

/// <summary>Records the SQL of every reader command, so a test can check what the database was really asked.</summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();

    public IReadOnlyCollection<string> Commands => _commands;

    public void Clear() => _commands.Clear();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    /// <summary>A context factory over <paramref name="connectionString"/> whose commands this recorder sees.</summary>
    public IDbContextFactory<CutoverDbContext> Factory(string connectionString) => new ContextFactory(
        new DbContextOptionsBuilder<CutoverDbContext>()
            .UseSqlite(connectionString, s => s.MigrationsAssembly(MigrationAssemblies.Sqlite))
            .AddInterceptors(new SqlitePragmaInterceptor(), this)
            .Options);
}
