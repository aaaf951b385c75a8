using Baoming.Core.Replies;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.AfterSession;

/// <summary>
/// A line under each session in <c>/sessions</c> that has a follow-up: which sides get one, and when it goes
/// out (or went out), so an organizer sees at a glance what readers will receive.
/// </summary>
public sealed class FollowUpFacts(NpgsqlDataSource dataSource) : ISessionFacts
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        const string Sql = $"""
            select {AfterSessionStore.Columns} from after_session
             where session_id = any(@sessionIds)
               and (attended_html is not null or no_show_html is not null or sent_attended_html is not null or sent_no_show_html is not null)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AfterSessionStore.Row>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPlan()).ToDictionary(
            p => p.SessionId,
            p => (IReadOnlyList<string>)[p.State == AfterSessionState.Fired
                ? texts.FollowUpFact(p.SentAttendedHtml is not null, p.SentNoShowHtml is not null, sendsAt: null, sentAt: p.FiredAt)
                : texts.FollowUpFact(p.AttendedHtml is not null, p.NoShowHtml is not null, p.State == AfterSessionState.Scheduled ? p.DueAt : null, sentAt: null)]);
    }
}
