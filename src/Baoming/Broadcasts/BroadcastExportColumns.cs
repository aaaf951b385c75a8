using System.Globalization;
using Baoming.Export;
using Dapper;
using Npgsql;

namespace Baoming.Broadcasts;

/// <summary>
/// One export column per broadcast sent (or being sent) to an exported session's members: the ledger
/// state of that broadcast for the row's member; empty when the broadcast did not go to them.
/// </summary>
public sealed class BroadcastExportColumns(NpgsqlDataSource dataSource) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select id from broadcasts
             where session_id = any(@sessionIds) and state in ('sending', 'done', 'cancelled') and prepared_at is not null
             order by id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        // Numbers only: nothing user-written reaches this SQL.
        return [.. ids.Select(id => new ExportExtraColumn(
            string.Create(CultureInfo.InvariantCulture, $"broadcast_{id}"),
            Delivery.DeliveryLedger.StateColumnSql(BroadcastTopic.Key(id))))];
    }
}
