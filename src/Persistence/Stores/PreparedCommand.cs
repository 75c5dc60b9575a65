using System.Data;
using System.Data.Common;

namespace Workflows.Persistence.EntityFramework.Stores;

/// <summary>
/// One statement prepared once per transaction and executed per row with new parameter values: the database parses
/// and plans it once, and no EF change tracking is involved.
/// </summary>
internal sealed class PreparedCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    private PreparedCommand(DbCommand command, DbParameter[] parameters)
    {
        _command = command;
        _parameters = parameters;
    }

    /// <summary>
    /// Prepares <paramref name="sql"/> whose parameters are <paramref name="parameters"/>, in order; their types are
    /// fixed here, so a null in the first row does not decide a column's type.
    /// </summary>
    public static async Task<PreparedCommand> CreateAsync(DbConnection connection, DbTransaction transaction, string sql,
        (string Name, DbType Type)[] parameters, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var created = new DbParameter[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameters[i].Name;
            parameter.DbType = parameters[i].Type;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
            created[i] = parameter;
        }
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return new PreparedCommand(command, created);
    }

    /// <summary>Sets parameter <paramref name="index"/> (null is SQL NULL).</summary>
    public void Set(int index, object? value) => _parameters[index].Value = value ?? DBNull.Value;

    /// <summary>Runs the statement with the values set.</summary>
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) => _command.ExecuteNonQueryAsync(cancellationToken);

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
