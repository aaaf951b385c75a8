using Baoming.Core.Replies;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Questions;

/// <summary>Under each session with questions in <c>/sessions</c>: how many questions, how many members answered, and where to read them.</summary>
public sealed class QuestionFacts(NpgsqlDataSource dataSource) : ISessionFacts
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        ArgumentNullException.ThrowIfNull(texts);
        const string Sql = """
            select q.session_id as SessionId, s.key, count(distinct q.id)::int as Questions,
                   (select count(distinct a.member_id)::int
                      from question_answers a join session_questions aq on aq.id = a.question_id
                      join registrations r on r.session_id = aq.session_id and r.member_id = a.member_id and r.status <> 'cancelled'
                     where aq.session_id = q.session_id and aq.removed_at is null) as Answered
              from session_questions q join sessions s on s.id = q.session_id
             where q.session_id = any(@sessionIds) and q.removed_at is null
             group by q.session_id, s.key
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long SessionId, string Key, int Questions, int Answered)>(
            new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.SessionId, r => (IReadOnlyList<string>)[texts.QuestionsFact(r.Key, r.Questions, r.Answered)]);
    }
}
