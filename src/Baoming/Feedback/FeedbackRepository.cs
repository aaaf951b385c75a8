using Baoming.Core.Replies;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Feedback;

/// <summary>What a press of a score did: refused (the member did not attend), the first score, or a changed one.</summary>
public enum ScoreOutcome
{
    NotAttended,
    Recorded,
    Changed,
}

/// <summary>A score as stored: what the press did, and whether the member has commented already (then nobody asks again).</summary>
public readonly record struct ScoreResult(ScoreOutcome Outcome, bool HasComment);

/// <summary>One comment for the organizers' CSV: who wrote it, their score, when.</summary>
public sealed record FeedbackComment(DateTimeOffset CommentedAt, long MemberId, string? Username, string? DisplayName, int Score, string Comment);

/// <summary>
/// The <c>feedback</c> and <c>feedback_requests</c> tables: one score (and optional comment) per member and
/// session, only for attendees, and the sessions whose request has gone out.
/// </summary>
public sealed class FeedbackRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores <paramref name="score"/> if the member attended the session: the first press adds the row, a
    /// later one changes its score (one row per member and session, so the count stays one). In one statement,
    /// so the attendance check and the write cannot be split by a change between them.
    /// </summary>
    public async Task<ScoreResult> RecordScoreAsync(long sessionId, long memberId, int score, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The CTEs see the table as it was before the statement: "previous" is the score before this press.
        const string Sql = """
            with previous as (
                select f.score, f.comment is not null as has_comment from feedback f
                 where f.session_id = @sessionId and f.member_id = @memberId
            ), saved as (
                insert into feedback (session_id, member_id, score, scored_at)
                select r.session_id, r.member_id, @score, @now from registrations r
                 where r.session_id = @sessionId and r.member_id = @memberId and r.attended_at is not null
                on conflict (session_id, member_id) do update set score = excluded.score, scored_at = excluded.scored_at
                returning 1
            )
            select exists (select from saved) as IsSaved,
                   exists (select from previous) as HadScore,
                   coalesce((select has_comment from previous), false) as HasComment
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(bool IsSaved, bool HadScore, bool HasComment)>(new CommandDefinition(
            Sql, new { sessionId, memberId, score = (short)score, now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return row switch
        {
            { IsSaved: false } => new ScoreResult(ScoreOutcome.NotAttended, false),
            { HadScore: true } => new ScoreResult(ScoreOutcome.Changed, row.HasComment),
            _ => new ScoreResult(ScoreOutcome.Recorded, false),
        };
    }

    /// <summary>The member's comment on a session they scored (a later one replaces it); false when they have no score there.</summary>
    public async Task<bool> SaveCommentAsync(long sessionId, long memberId, string comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            update feedback set comment = @comment, commented_at = @now
             where session_id = @sessionId and member_id = @memberId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { sessionId, memberId, comment, now = now.UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Records that the request for the session is going out (the first time only: a re-run keeps the first time).</summary>
    public async Task MarkRequestedAsync(long sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into feedback_requests (session_id, requested_at) values (@sessionId, @now)
            on conflict (session_id) do nothing
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { sessionId, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>When the request went out, if the results report is not planted yet; null when it is (or there was no request).</summary>
    public async Task<DateTimeOffset?> ReportToPlantAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = "select requested_at from feedback_requests where session_id = @sessionId and not report_planned";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var at = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
        return at is { } value ? PostgresTime.Utc(value) : null;
    }

    public async Task MarkReportPlantedAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = "update feedback_requests set report_planned = true where session_id = @sessionId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The results of each of <paramref name="sessionIds"/> that has a request or a score; the others are left out.
    /// One pass over the primary key's session prefix per session.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, FeedbackResults>> ResultsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select s.id as SessionId,
                   count(*) filter (where f.score = 1)::int as Ones,
                   count(*) filter (where f.score = 2)::int as Twos,
                   count(*) filter (where f.score = 3)::int as Threes,
                   count(*) filter (where f.score = 4)::int as Fours,
                   count(*) filter (where f.score = 5)::int as Fives,
                   count(f.comment)::int as Comments,
                   exists (select from feedback_requests q where q.session_id = s.id) as IsRequested
              from unnest(@ids) as s(id)
              left join feedback f on f.session_id = s.id
             group by s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ResultsRow>(new CommandDefinition(Sql, new { ids = sessionIds.Distinct().ToArray() }, cancellationToken: cancellationToken));
        return rows
            .Select(r => (r.SessionId, Results: new FeedbackResults([r.Ones, r.Twos, r.Threes, r.Fours, r.Fives], r.Comments, r.IsRequested)))
            .Where(r => r.Results.IsRequested || r.Results.Count > 0)
            .ToDictionary(r => r.SessionId, r => r.Results);
    }

    public async Task<FeedbackResults> ResultsAsync(long sessionId, CancellationToken cancellationToken) =>
        (await ResultsAsync([sessionId], cancellationToken)).GetValueOrDefault(sessionId) ?? FeedbackResults.None;

    /// <summary>Whether any of the sessions has feedback to export: a request gone out, or a score.</summary>
    public async Task<bool> AnyAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select exists (select from feedback_requests where session_id = any(@ids))
                or exists (select from feedback where session_id = any(@ids))
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { ids = sessionIds.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>The session's comments, oldest first, with their authors as the members table knows them now.</summary>
    public async Task<IReadOnlyList<FeedbackComment>> CommentsAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = """
            select f.commented_at as CommentedAt, f.member_id as MemberId, m.username, m.display_name as DisplayName, f.score::int as Score, f.comment
              from feedback f
              left join members m on m.id = f.member_id
             where f.session_id = @sessionId and f.comment is not null
             order by f.commented_at, f.member_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommentRow>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new FeedbackComment(PostgresTime.Utc(r.CommentedAt), r.MemberId, r.Username, r.DisplayName, r.Score, r.Comment))];
    }

    private sealed record ResultsRow(long SessionId, int Ones, int Twos, int Threes, int Fours, int Fives, int Comments, bool IsRequested);

    private sealed record CommentRow(DateTime CommentedAt, long MemberId, string? Username, string? DisplayName, int Score, string Comment);
}
