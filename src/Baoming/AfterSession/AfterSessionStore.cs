using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.AfterSession;

/// <summary>Where a session's after-session run stands: <c>after_session.state</c>, mapped here once.</summary>
public enum AfterSessionState
{
    /// <summary>Nothing planned (the session ended before the feature knew of it, or only its texts were set).</summary>
    Idle,

    /// <summary>A Hangfire job waits for <see cref="AfterSessionPlan.DueAt"/>.</summary>
    Scheduled,

    /// <summary>The run for <see cref="AfterSessionPlan.DueAt"/> began: texts frozen, feedback requested.</summary>
    Fired,

    /// <summary>The session was cancelled before its run.</summary>
    Cancelled,
}

/// <summary>One session's follow-up texts and its planned run (the <c>after_session</c> row).</summary>
public sealed record AfterSessionPlan(
    long SessionId,
    string? AttendedHtml,
    string? NoShowHtml,
    DateTimeOffset? EndsAt,
    DateTimeOffset? DueAt,
    string? JobId,
    AfterSessionState State,
    DateTimeOffset? FiredAt,
    string? SentAttendedHtml,
    string? SentNoShowHtml);

/// <summary>The <c>after_session</c> table (migration 0018): follow-up texts and planned runs.</summary>
public sealed class AfterSessionStore(NpgsqlDataSource dataSource)
{
    public const string Columns = """
        session_id as SessionId, attended_html as AttendedHtml, no_show_html as NoShowHtml, ends_at as EndsAt,
        due_at as DueAt, job_id as JobId, state, fired_at as FiredAt,
        sent_attended_html as SentAttendedHtml, sent_no_show_html as SentNoShowHtml
        """;

    public static string ToDatabase(AfterSessionState state) => state switch
    {
        AfterSessionState.Idle => "idle",
        AfterSessionState.Scheduled => "scheduled",
        AfterSessionState.Fired => "fired",
        AfterSessionState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "No database value for this state."),
    };

    public static AfterSessionState FromDatabase(string value) => value switch
    {
        "idle" => AfterSessionState.Idle,
        "scheduled" => AfterSessionState.Scheduled,
        "fired" => AfterSessionState.Fired,
        "cancelled" => AfterSessionState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not an after-session state."),
    };

    public async Task<AfterSessionPlan?> FindAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from after_session where session_id = @sessionId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
        return row?.ToPlan();
    }

    /// <summary>Sets (or with null removes) one follow-up text of a session; returns the text it replaced.</summary>
    public async Task<string?> SetTextAsync(long sessionId, bool isForAttended, string? html, CancellationToken cancellationToken)
    {
        // The previous value comes from the statement's own snapshot, for the audit entry.
        const string AttendedSql = """
            with before as (select attended_html from after_session where session_id = @sessionId)
            insert into after_session (session_id, attended_html) values (@sessionId, @html)
            on conflict (session_id) do update set attended_html = excluded.attended_html
            returning (select attended_html from before)
            """;
        const string NoShowSql = """
            with before as (select no_show_html from after_session where session_id = @sessionId)
            insert into after_session (session_id, no_show_html) values (@sessionId, @html)
            on conflict (session_id) do update set no_show_html = excluded.no_show_html
            returning (select no_show_html from before)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            isForAttended ? AttendedSql : NoShowSql, new { sessionId, html }, cancellationToken: cancellationToken));
    }

    /// <summary>The configured sessions' texts, the configuration winning as for a session's other fields.</summary>
    public async Task SetConfiguredAsync(IReadOnlyList<(long SessionId, string? AttendedHtml, string? NoShowHtml)> sessions, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into after_session (session_id, attended_html, no_show_html)
            select * from unnest(@ids, @attended, @noShows)
            on conflict (session_id) do update set attended_html = excluded.attended_html, no_show_html = excluded.no_show_html
             where (after_session.attended_html, after_session.no_show_html) is distinct from (excluded.attended_html, excluded.no_show_html)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new
        {
            ids = sessions.Select(s => s.SessionId).ToArray(),
            attended = sessions.Select(s => s.AttendedHtml).ToArray(),
            noShows = sessions.Select(s => s.NoShowHtml).ToArray(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>A row as Dapper reads it: times come as <see cref="DateTime"/>, the state as its text.</summary>
    internal sealed record Row(
        long SessionId,
        string? AttendedHtml,
        string? NoShowHtml,
        DateTime? EndsAt,
        DateTime? DueAt,
        string? JobId,
        string State,
        DateTime? FiredAt,
        string? SentAttendedHtml,
        string? SentNoShowHtml)
    {
        public AfterSessionPlan ToPlan() => new(
            SessionId,
            AttendedHtml,
            NoShowHtml,
            EndsAt is { } ends ? PostgresTime.Utc(ends) : null,
            DueAt is { } due ? PostgresTime.Utc(due) : null,
            JobId,
            FromDatabase(State),
            FiredAt is { } fired ? PostgresTime.Utc(fired) : null,
            SentAttendedHtml,
            SentNoShowHtml);
    }
}
