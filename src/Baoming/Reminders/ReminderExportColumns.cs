using Baoming.Delivery;
using Baoming.Export;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Reminders;

/// <summary>
/// One export column per reminder slot of the exported sessions: the ledger state of that
/// reminder for the row's member (sent, blocked, failed, unknown, pending), empty when the
/// reminder has not gone out to them (not yet due, or signed up after it).
/// </summary>
public sealed class ReminderExportColumns(NpgsqlDataSource dataSource) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select rs.id, rs.session_id as SessionId, s.key, rs."offset", rs.due_at as DueAt
              from reminder_slots rs join sessions s on s.id = rs.session_id
             where rs.session_id = any(@sessionIds) and rs.state <> 'cancelled'
             order by s.starts_at, s.id, rs."offset" desc
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var slots = await connection.QueryAsync<Slot>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return [.. slots.Select(slot =>
        {
            // Numbers and a topic built from them only: nothing user-written reaches this SQL.
            var topic = ReminderTopic.Key(slot.Id, PostgresTime.Utc(slot.DueAt));
            var name = sessionIds.Count == 1 ? $"reminder_{Label(slot.Offset)}" : $"reminder_{slot.Key}_{Label(slot.Offset)}";
            return new ExportExtraColumn(name, DeliveryLedger.StateColumnSql(slot.SessionId, topic));
        })];
    }

    /// <summary>"1d", "1h", "30m": how long before the start; "at_start" for the starting-now message.</summary>
    private static string Label(TimeSpan offset) =>
        offset == TimeSpan.Zero ? "at_start"
        : offset.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(int)offset.TotalDays}d_before"
        : offset.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(int)offset.TotalHours}h_before"
        : $"{(int)offset.TotalMinutes}m_before";

    private sealed record Slot(long Id, long SessionId, string Key, TimeSpan Offset, DateTime DueAt);
}
