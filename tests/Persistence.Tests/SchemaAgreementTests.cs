using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Workflows.Persistence.Tests.Support;

namespace Workflows.Persistence.Tests;

/// <summary>
/// The EF model (Configurations/) and the SQL scripts (Schema/) describe the same tables: checked against the
/// migrated database of each provider, column by column, and by querying every entity through EF.
/// </summary>
public sealed class SchemaAgreementTests
{
    [Theory, SqliteStore, PostgresStore]
    public async Task EfQueries_OverEveryEntity_SucceedAfterMigration(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var store = database.CreateStore();
        await store.InitializeAsync([new DefinitionRecord("order", "1.0.0", "graph", "h", Sample.T0)], CancellationToken.None);
        var runId = Sample.Id("run");
        var task = Sample.Task(Sample.Id("task"), runId) with
        {
            Description = "d", Assignee = "a", Group = "g", DueAt = Sample.T0, CompletedBy = "c", CompletedAt = Sample.T0,
            Data = [], CancelReason = "r", OnDue = DueAction.Escalate("e"),
        };
        await store.CommitAsync([Sample.Start(runId) with
        {
            Run = Sample.Run(runId) with { CorrelationId = "c", ResultJson = "1", ErrorJson = "{}", EndedAt = Sample.T0 },
            Tasks = [task],
        }], CancellationToken.None);

        await using var db = database.CreateContext();

        Assert.Single(await db.Runs.AsNoTracking().ToListAsync());
        Assert.Equal(2, (await db.RunItems.AsNoTracking().ToListAsync()).Count);
        Assert.Single(await db.RunStates.AsNoTracking().ToListAsync());
        Assert.Single(await db.Tasks.AsNoTracking().ToListAsync());
        Assert.Single(await db.Definitions.AsNoTracking().ToListAsync());
        Assert.Equal(database.Scripts.Count, (await db.SchemaVersions.AsNoTracking().ToListAsync()).Count);
        // Queries that use each index's columns, as the server's lists will.
        Assert.Single(await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.Workflow == "order").OrderByDescending(r => r.CreatedAt).ToListAsync());
        Assert.Single(await db.Runs.AsNoTracking().Where(r => r.CorrelationId == "c").ToListAsync());
        Assert.Single(await db.Tasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Pending && t.Assignee == "a" && t.Group == "g" && t.RunId == runId).ToListAsync());
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task EfModel_DescribesTheMigratedSchema(StoreKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await database.CreateInitializedStoreAsync();
        await using var db = database.CreateContext();

        var model = Describe(db.Model);
        var schema = kind == StoreKind.Sqlite ? await DescribeSqliteAsync(database) : await DescribePostgresAsync(database);

        Assert.Equal(model, schema);
    }

    /// <summary>One line per column (type, nullability), key, index and foreign key, sorted: a mismatch shows as a readable diff.</summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            string Columns(IEnumerable<IProperty> properties) => string.Join(",", properties.Select(p => p.GetColumnName(store)));
            foreach (var property in entity.GetProperties())
            {
                lines.Add($"column {table}.{property.GetColumnName(store)} {property.GetColumnType(store).ToLowerInvariant()} {(property.IsNullable ? "null" : "not null")}");
            }
            lines.Add($"key {table}({Columns(entity.FindPrimaryKey()!.Properties)})");
            foreach (var index in entity.GetIndexes())
            {
                lines.Add($"index {index.GetDatabaseName()} on {table}({Columns(index.Properties)}){(index.IsUnique ? " unique" : "")}{(index.GetFilter() is null ? "" : " partial")}");
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var principal = foreignKey.PrincipalEntityType;
                var principalStore = StoreObjectIdentifier.Table(principal.GetTableName()!, principal.GetSchema());
                lines.Add($"foreign key {table}({Columns(foreignKey.Properties)}) -> {principal.GetTableName()}" +
                    $"({string.Join(",", foreignKey.PrincipalKey.Properties.Select(p => p.GetColumnName(principalStore)))}) on delete {(foreignKey.DeleteBehavior == DeleteBehavior.Cascade ? "cascade" : "no action")}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> DescribeSqliteAsync(TestDatabase database)
    {
        var lines = new List<string>();
        var tables = await database.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        foreach (var table in tables.Select(t => (string)t[0]!))
        {
            var columns = await database.QueryAsync($"SELECT name, \"notnull\", pk, type FROM pragma_table_info('{table}')");
            lines.AddRange(columns.Select(c => $"column {table}.{c[0]} {((string)c[3]!).ToLowerInvariant()} {((long)c[1]! == 1 ? "not null" : "null")}"));
            lines.Add($"key {table}({string.Join(",", columns.Where(c => (long)c[2]! > 0).OrderBy(c => (long)c[2]!).Select(c => c[0]))})");
            foreach (var index in await database.QueryAsync($"SELECT name, \"unique\", partial FROM pragma_index_list('{table}') WHERE origin = 'c'"))
            {
                var indexColumns = await database.QueryAsync($"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno");
                lines.Add($"index {index[0]} on {table}({string.Join(",", indexColumns.Select(c => c[0]))}){((long)index[1]! == 1 ? " unique" : "")}{((long)index[2]! == 1 ? " partial" : "")}");
            }
            foreach (var foreignKey in await database.QueryAsync($"SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')"))
            {
                lines.Add($"foreign key {table}({foreignKey[0]}) -> {foreignKey[1]}({foreignKey[2]}) on delete {((string)foreignKey[3]!).ToLowerInvariant()}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> DescribePostgresAsync(TestDatabase database)
    {
        var lines = new List<string>();
        foreach (var c in await database.QueryAsync(
            "SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = current_schema()"))
        {
            lines.Add($"column {c[0]}.{c[1]} {c[3]} {((string)c[2]! == "YES" ? "null" : "not null")}");
        }
        foreach (var i in await database.QueryAsync("""
            SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL,
                   array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',')
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema()
            """))
        {
            lines.Add((bool)i[3]!
                ? $"key {i[0]}({i[5]})"
                : $"index {i[1]} on {i[0]}({i[5]}){((bool)i[2]! ? " unique" : "")}{((bool)i[4]! ? " partial" : "")}");
        }
        foreach (var f in await database.QueryAsync("""
            SELECT t.relname, a.attname, rt.relname, ra.attname, c.confdeltype
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_class rt ON rt.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND n.nspname = current_schema() AND array_length(c.conkey, 1) = 1
            """))
        {
            lines.Add($"foreign key {f[0]}({f[1]}) -> {f[2]}({f[3]}) on delete {((char)f[4]! == 'c' ? "cascade" : "no action")}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
