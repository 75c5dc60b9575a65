using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Workflows.Persistence.EntityFramework.Postgres;

/// <summary>
/// Items on PostgreSQL: one prepared <c>INSERT … SELECT FROM unnest(arrays)</c> per chunk of rows instead of one
/// statement per row, since each statement is a network round trip. The primary key still refuses a duplicate
/// (run, sequence), and the foreign key an item of an unknown run, row by row.
/// </summary>
internal static class PostgresItemWriter
{
    /// <summary>Rows per statement: bounds the size of one message (items are a few hundred bytes each).</summary>
    internal const int ChunkSize = 5000;

    private const string InsertSql = """
        INSERT INTO run_items (run_id, sequence, type, recorded_at, json)
        SELECT * FROM unnest(@run_ids, @sequences, @types, @recorded_ats, @jsons)
        """;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RunCommit> batch, CancellationToken cancellationToken)
    {
        var total = batch.Sum(c => c.Items.Count);
        await using var command = new NpgsqlCommand(InsertSql, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        var runIds = new NpgsqlParameter<string[]>("run_ids", NpgsqlDbType.Array | NpgsqlDbType.Text);
        command.Parameters.Add(runIds);
        var sequences = new NpgsqlParameter<long[]>("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        command.Parameters.Add(sequences);
        var types = new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text);
        command.Parameters.Add(types);
        var recordedAts = new NpgsqlParameter<DateTimeOffset[]>("recorded_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
        command.Parameters.Add(recordedAts);
        var jsons = new NpgsqlParameter<string[]>("jsons", NpgsqlDbType.Array | NpgsqlDbType.Text);
        command.Parameters.Add(jsons);
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);

        var size = Math.Min(total, ChunkSize);
        var chunk = (RunIds: new string[size], Sequences: new long[size], Types: new string[size], RecordedAts: new DateTimeOffset[size], Jsons: new string[size]);
        var count = 0;
        foreach (var commit in batch)
        {
            foreach (var item in commit.Items)
            {
                chunk.RunIds[count] = item.RunId;
                chunk.Sequences[count] = item.Sequence;
                chunk.Types[count] = item.Type;
                chunk.RecordedAts[count] = StoreTime.Truncate(item.Timestamp);
                chunk.Jsons[count] = item.Json;
                if (++count == size)
                {
                    await FlushAsync(count).ConfigureAwait(false);
                    count = 0;
                }
            }
        }
        if (count > 0)
        {
            await FlushAsync(count).ConfigureAwait(false);
        }

        async Task FlushAsync(int rows)
        {
            runIds.TypedValue = rows == size ? chunk.RunIds : chunk.RunIds[..rows];
            sequences.TypedValue = rows == size ? chunk.Sequences : chunk.Sequences[..rows];
            types.TypedValue = rows == size ? chunk.Types : chunk.Types[..rows];
            recordedAts.TypedValue = rows == size ? chunk.RecordedAts : chunk.RecordedAts[..rows];
            jsons.TypedValue = rows == size ? chunk.Jsons : chunk.Jsons[..rows];
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
