using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cutover.Core.Persistence;

/// <summary>
/// Prepared-statement SQL for one entity type, generated from the EF Core model: its table, its columns, and its
/// value conversions (every parameter is made by the property's own type mapping, every value read with the
/// mapping's reader method and converter), so a row written here is the row SaveChanges writes and a row read here
/// is the entity a query returns. For the one hot path where EF Core's per-call work (change tracking, command
/// building, materialization) costs many times the statement itself: the status group-commit writer.
/// </summary>
/// <remarks>
/// Updates set only the columns whose values changed since the snapshot (as SaveChanges does), so a column another
/// writer maintains is never overwritten with a stale value, and they check the concurrency token.
/// </remarks>
internal sealed class EntityRows<T>
    where T : class
{
    private readonly ISqlGenerationHelper _sql;
    private readonly string _table;
    private readonly IProperty[] _properties;
    private readonly string[] _columns;
    private readonly RelationalTypeMapping[] _mappings;
    private readonly Func<T, object?>[] _getters;
    private readonly PropertyInfo[] _setters;
    private readonly Func<DbDataReader, int, object>[] _readers;
    private readonly int _key;
    private readonly int _token;
    private readonly Func<T> _create;

    public EntityRows(IModel model, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        _sql = sql;
        _table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        _properties = entity.GetProperties().Where(p => p.PropertyInfo is not null).ToArray();
        if (_properties.Length != entity.GetProperties().Count() || _properties.Length > 64)
            throw new NotSupportedException($"{typeof(T).Name} has shadow or field-only properties, or too many to track.");

        _columns = _properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())).ToArray();
        _mappings = _properties.Select(p => p.GetRelationalTypeMapping()).ToArray();
        _getters = _properties.Select(p => Getter(p.PropertyInfo!)).ToArray();
        _setters = _properties.Select(p => p.PropertyInfo!).ToArray();
        _readers = _mappings.Select(Reader).ToArray();
        _key = Array.IndexOf(_properties, key);
        _token = Array.FindIndex(_properties, p => p.IsConcurrencyToken);
        _create = Expression.Lambda<Func<T>>(Expression.New(typeof(T).GetConstructor(
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
            ?? throw new NotSupportedException($"{typeof(T).Name} needs a parameterless constructor."))).Compile();
    }

    /// <summary>Every column, in model order, for <see cref="Read"/>.</summary>
    private string SelectByKeySql =>
        $"SELECT {string.Join(", ", _columns)} FROM {_table} WHERE {_columns[_key]} = {Placeholder(0)}";

    private string InsertSql =>
        $"INSERT INTO {_table} ({string.Join(", ", _columns)}) VALUES ({string.Join(", ", _columns.Select((_, i) => Placeholder(i)))})";

    /// <summary>Makes a prepared command that reads one row by key; bind it with <see cref="BindKey"/>, read it with <see cref="Read"/>.</summary>
    public DbCommand SelectByKeyCommand(DbConnection connection) => Command(connection, SelectByKeySql, [_key]);

    public void BindKey(DbCommand command, object key) => Bind(command.Parameters[0], _key, key);

    /// <summary>Materializes the current row of a <see cref="SelectByKeyCommand"/> reader.</summary>
    public T Read(DbDataReader reader)
    {
        var entity = _create();
        for (var i = 0; i < _properties.Length; i++)
        {
            if (reader.IsDBNull(i)) continue; // a new instance's default is null for every nullable column
            var value = _readers[i](reader, i);
            _setters[i].SetValue(entity, _mappings[i].Converter is { } c ? c.ConvertFromProvider(value) : value);
        }

        return entity;
    }

    public DbCommand InsertCommand(DbConnection connection) =>
        Command(connection, InsertSql, Enumerable.Range(0, _properties.Length));

    public void BindInsert(DbCommand command, T entity)
    {
        for (var i = 0; i < _properties.Length; i++) Bind(command.Parameters[i], i, _getters[i](entity));
    }

    /// <summary>The values an update compares against: take one after reading or writing the row.</summary>
    public object?[] Snapshot(T entity)
    {
        var values = new object?[_properties.Length];
        for (var i = 0; i < values.Length; i++) values[i] = _getters[i](entity);
        return values;
    }

    /// <summary>A bit per column whose value differs from <paramref name="snapshot"/>; 0 when nothing changed.</summary>
    public ulong Changed(T entity, object?[] snapshot)
    {
        ulong mask = 0;
        for (var i = 0; i < snapshot.Length; i++)
        {
            if (!Equals(_getters[i](entity), snapshot[i])) mask |= 1UL << i;
        }

        return mask;
    }

    /// <summary>
    /// Makes a prepared command that sets the <paramref name="changed"/> columns where the key and the snapshot's
    /// concurrency token match; bind it with <see cref="BindUpdate"/>.
    /// </summary>
    public DbCommand UpdateCommand(DbConnection connection, ulong changed)
    {
        var columns = ChangedColumns(changed).ToList();
        var sets = string.Join(", ", columns.Select((c, n) => $"{_columns[c]} = {Placeholder(n)}"));
        var where = $"{_columns[_key]} = {Placeholder(columns.Count)}";
        if (_token >= 0) where += $" AND {_columns[_token]} = {Placeholder(columns.Count + 1)}";
        columns.Add(_key);
        if (_token >= 0) columns.Add(_token);
        return Command(connection, $"UPDATE {_table} SET {sets} WHERE {where}", columns);
    }

    public void BindUpdate(DbCommand command, T entity, ulong changed, object?[] snapshot)
    {
        var n = 0;
        foreach (var i in ChangedColumns(changed)) Bind(command.Parameters[n++], i, _getters[i](entity));
        Bind(command.Parameters[n++], _key, snapshot[_key]);
        if (_token >= 0) Bind(command.Parameters[n], _token, snapshot[_token]);
    }

    private IEnumerable<int> ChangedColumns(ulong changed) =>
        Enumerable.Range(0, _properties.Length).Where(i => (changed & (1UL << i)) != 0);

    /// <summary>
    /// A command whose parameters are made once by the columns' own type mappings (so they carry the provider type
    /// EF Core gives them) and then only get new values: the statement stays prepared across executions.
    /// </summary>
    private DbCommand Command(DbConnection connection, string sql, IEnumerable<int> columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var n = 0;
        foreach (var i in columns) command.Parameters.Add(_mappings[i].CreateParameter(command, Name(n++), null, _properties[i].IsNullable));
        return command;
    }

    /// <summary>The value conversion <see cref="RelationalTypeMapping.CreateParameter"/> applies, on an existing parameter.</summary>
    private void Bind(DbParameter parameter, int property, object? value)
    {
        if (value is not null && _mappings[property].Converter is { } converter) value = converter.ConvertToProvider(value);
        parameter.Value = value ?? DBNull.Value;
    }

    private string Name(int index) => _sql.GenerateParameterName("p" + index);

    private string Placeholder(int index) => _sql.GenerateParameterNamePlaceholder("p" + index);

    private static Func<T, object?> Getter(PropertyInfo property)
    {
        var entity = Expression.Parameter(typeof(T));
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(entity, property), typeof(object)), entity).Compile();
    }

    /// <summary>Calls the mapping's own reader method (GetGuid, GetDateTime, GetString...), as EF's materializer does.</summary>
    private static Func<DbDataReader, int, object> Reader(RelationalTypeMapping mapping)
    {
        var reader = Expression.Parameter(typeof(DbDataReader));
        var ordinal = Expression.Parameter(typeof(int));
        var method = mapping.GetDataReaderMethod();
        Expression instance = method.DeclaringType == typeof(DbDataReader) || method.DeclaringType!.IsInterface
            ? reader
            : Expression.Convert(reader, method.DeclaringType);
        return Expression.Lambda<Func<DbDataReader, int, object>>(
            Expression.Convert(Expression.Call(instance, method, ordinal), typeof(object)), reader, ordinal).Compile();
    }
}
