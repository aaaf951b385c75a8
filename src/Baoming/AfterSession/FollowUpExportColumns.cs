using Baoming.Delivery;
using Baoming.Export;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.AfterSession;

/// <summary>
/// <c>followup</c> (<c>followup_&lt;key&gt;</c> when several sessions are exported): the ledger state of the
/// session's follow-up for the row's member (sent, blocked, failed, unknown, pending), empty when none went to
/// them (not yet due, or no text for their side). Only for sessions that have a follow-up text, or sent one.
/// </summary>
public sealed class FollowUpExportColumns(NpgsqlDataSource dataSource) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select a.session_id as SessionId, s.key, a.due_at as DueAt
              from after_session a join sessions s on s.id = a.session_id
             where a.session_id = any(@sessionIds) and a.due_at is not null
               and ((a.state = 'fired' and (a.sent_attended_html is not null or a.sent_no_show_html is not null))
                 or (a.state = 'scheduled' and (a.attended_html is not null or a.no_show_html is not null)))
             order by s.starts_at, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var runs = await connection.QueryAsync<(long SessionId, string Key, DateTime DueAt)>(new CommandDefinition(
            Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return [.. runs.Select(run =>
        {
            // Numbers and a topic built from them only: nothing user-written reaches this SQL.
            var topic = FollowUpTopic.Key(run.SessionId, PostgresTime.Utc(run.DueAt));
            return new ExportExtraColumn(
                sessionIds.Count == 1 ? "followup" : $"followup_{run.Key}",
                DeliveryLedger.StateColumnSql(run.SessionId, topic));
        })];
    }
}
