using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Workflows.Persistence.EntityFramework;

/// <summary>Refuses options the store cannot start with, naming the key and the accepted values.</summary>
internal sealed class PersistenceOptionsValidator : IValidateOptions<PersistenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PersistenceOptions options)
    {
        var errors = new List<string>();
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (provider is not (PersistenceOptions.Sqlite or PersistenceOptions.Postgres))
        {
            errors.Add($"{PersistenceOptions.SectionName}:Provider is '{options.Provider}'; use 'sqlite' or 'postgres'.");
        }
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{PersistenceOptions.SectionName}:ConnectionString is empty; give the {provider ?? "provider"}'s connection string (SQLite: 'Data Source=workflows.db').");
        }
        else if (provider is not null && ParseError(provider, options.ConnectionString) is { } parseError)
        {
            errors.Add($"{PersistenceOptions.SectionName}:ConnectionString is not a valid {provider} connection string: {parseError}");
        }
        if (provider == PersistenceOptions.Sqlite && SqliteSynchronous.TryParse(options.SqliteSynchronous) is null)
        {
            errors.Add($"{PersistenceOptions.SectionName}:SqliteSynchronous is '{options.SqliteSynchronous}'; use 'normal' or 'full'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? ParseError(string provider, string connectionString)
    {
        try
        {
            if (provider == PersistenceOptions.Sqlite)
            {
                var builder = new SqliteConnectionStringBuilder(connectionString);
                return string.IsNullOrWhiteSpace(builder.DataSource) ? "it names no Data Source." : null;
            }
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidOperationException)
        {
            return error.Message;
        }
    }
}
