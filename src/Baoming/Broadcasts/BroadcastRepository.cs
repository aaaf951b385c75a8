using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Broadcasts;

/// <summary>A <c>broadcasts</c> row, with its author's language for the status messages.</summary>
public sealed class Broadcast
{
    public long Id { get; init; }
    public long AuthorId { get; init; }
    public string? AuthorLanguage { get; init; }
    public string Audience { get; init; } = "";
    public long? SessionId { get; init; }
    public string? SessionTitle { get; init; }
    public string Text { get; init; } = "";
    public string ParseMode { get; init; } = "html";
    public DateTime? ScheduledAt { get; init; }

    public BroadcastState State { get; init; }

    /// <summary>The <c>state</c> column, as Dapper reads it: mapped by <see cref="BroadcastStates"/>, not by the enum's names.</summary>
    private string DatabaseState
    {
        get => State.ToDatabase();
        init => State = BroadcastStates.FromDatabase(value);
    }

    public string? JobId { get; init; }
    public long? StatusChatId { get; init; }
    public long? StatusMessageId { get; init; }
    public DateTime? PreparedAt { get; init; }
    public DateTime CreatedAt { get; init; }

    public Audience Kind => AudienceNames.Parse(Audience);

    public string Topic => BroadcastTopic.Key(Id).ToString();
}

/// <summary>A member a broadcast did not reach, for the organizer's list.</summary>
public sealed record NotReached(long MemberId, string? Username, string DisplayName, string State);

/// <summary>The <c>broadcasts</c> table and the audiences' recipient queries.</summary>
public sealed class BroadcastRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The states <see cref="CancelAsync"/> leaves: a broadcast that is done or already cancelled stays so.</summary>
    private static readonly BroadcastState[] Cancellable = [BroadcastState.Draft, BroadcastState.Scheduled, BroadcastState.Sending];

    private const string Columns = """
        b.id, b.author_id as AuthorId, m.language_code as AuthorLanguage, b.audience, b.session_id as SessionId,
        s.title as SessionTitle, b.text, b.parse_mode as ParseMode, b.scheduled_at as ScheduledAt, b.state as DatabaseState,
        b.job_id as JobId, b.status_chat_id as StatusChatId, b.status_message_id as StatusMessageId,
        b.prepared_at as PreparedAt, b.created_at as CreatedAt
        from broadcasts b
        left join members m on m.id = b.author_id
        left join sessions s on s.id = b.session_id
        """;

    /// <summary>Attendance means something only once the session has started: before, nobody has come yet.</summary>
    private const string StartedSql = "exists (select 1 from sessions s where s.id = r.session_id and s.starts_at <= @now)";

    /// <summary>
    /// The recipients of an audience, as the ledger wants them (<c>member_id, variant</c>); parameters
    /// <c>@sessionId</c> and <c>@now</c>. Each member appears once.
    /// </summary>
    public static string RecipientsSql(Audience audience) => audience switch
    {
        Audience.Confirmed => "select member_id, 0::smallint as variant from registrations where session_id = @sessionId and status = 'confirmed'",
        Audience.Waitlisted => "select member_id, 0::smallint as variant from registrations where session_id = @sessionId and status = 'waitlisted'",
        Audience.Attended => $"""
            select r.member_id, 0::smallint as variant from registrations r
             where r.session_id = @sessionId and {SessionAttendance.AttendedSql} and {StartedSql}
            """,
        Audience.NoShows => $"""
            select r.member_id, 0::smallint as variant from registrations r
             where r.session_id = @sessionId and {SessionAttendance.NoShowSql} and {StartedSql}
            """,
        Audience.Upcoming => """
            select distinct r.member_id, 0::smallint as variant
              from registrations r join sessions s on s.id = r.session_id
             where s.starts_at > @now and s.cancelled_at is null and r.status in ('confirmed', 'waitlisted')
            """,
        _ => "select id as member_id, 0::smallint as variant from members",
    };

    public async Task<int> CountAudienceAsync(Audience audience, long? sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = $"select count(*)::int from ({RecipientsSql(audience)}) r";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { sessionId, now }, cancellationToken: cancellationToken));
    }

    /// <summary>The id the next draft will have, taken before the draft is kept (see <see cref="CreateAsync"/>).</summary>
    public async Task<long> ReserveIdAsync(CancellationToken cancellationToken)
    {
        const string Sql = "select nextval(pg_get_serial_sequence('broadcasts', 'id'))";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Keeps a draft under the id <see cref="ReserveIdAsync"/> gave: its confirmation, which carries the id in its
    /// buttons, is built before Telegram has shown the preview, and the draft is kept only once it has.
    /// </summary>
    public async Task CreateAsync(long id, long authorId, Audience audience, long? sessionId, string text, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into broadcasts (id, author_id, audience, session_id, text, parse_mode, state)
            overriding system value
            values (@id, @authorId, @audience, @sessionId, @text, 'html', @draft)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Sql,
            new { id, authorId, audience = AudienceNames.Of(audience), sessionId, text, draft = BroadcastState.Draft.ToDatabase() },
            cancellationToken: cancellationToken));
    }

    public async Task<Broadcast?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} where b.id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Broadcast>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Moves a broadcast from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in none (a second press).</summary>
    public async Task<bool> TransitionAsync(long id, BroadcastState[] from, BroadcastState to, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
    {
        const string Sql = """
            update broadcasts set state = @to, scheduled_at = coalesce(@scheduledAt, scheduled_at), updated_at = now()
             where id = @id and state = any(@from)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            Sql, new { id, from = from.ToDatabase(), to = to.ToDatabase(), scheduledAt = scheduledAt?.UtcDateTime }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Cancels a draft, scheduled or running broadcast; its Hangfire job id, or false when there was nothing to cancel.</summary>
    public async Task<(bool IsCancelled, string? JobId)> CancelAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = """
            update broadcasts set state = @cancelled, updated_at = now()
             where id = @id and state = any(@cancellable)
            returning job_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<string?>(new CommandDefinition(
            Sql,
            new { id, cancelled = BroadcastState.Cancelled.ToDatabase(), cancellable = Cancellable.ToDatabase() },
            cancellationToken: cancellationToken))).ToList();
        return (rows.Count == 1, rows.FirstOrDefault());
    }

    public async Task SetStatusMessageAsync(long id, long chatId, long? messageId, CancellationToken cancellationToken)
    {
        const string Sql = "update broadcasts set status_chat_id = @chatId, status_message_id = @messageId where id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { id, chatId, messageId }, cancellationToken: cancellationToken));
    }

    public async Task SetJobAsync(long id, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update broadcasts set job_id = @jobId where id = @id", new { id, jobId }, cancellationToken: cancellationToken));
    }

    public async Task MarkPreparedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update broadcasts set prepared_at = now() where id = @id and prepared_at is null", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The latest broadcasts (scheduled ones first), with their delivery counts from the ledger.</summary>
    public async Task<IReadOnlyList<BroadcastSummary>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {Columns}
             order by (b.state = @scheduled) desc, b.created_at desc, b.id desc
             limit @limit
            """;
        const string StatsSql = """
            select topic,
                   count(*)::int as Total,
                   count(*) filter (where state = 'sent')::int as Sent,
                   count(*) filter (where state = 'blocked')::int as Blocked,
                   count(*) filter (where state = 'failed')::int as Failed,
                   count(*) filter (where state = 'unknown')::int as Unknown
              from deliveries where topic = any(@topics)
             group by topic
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Broadcast>(new CommandDefinition(
            Sql, new { limit, scheduled = BroadcastState.Scheduled.ToDatabase() }, cancellationToken: cancellationToken))).ToList();
        var stats = (await connection.QueryAsync<(string Topic, int Total, int Sent, int Blocked, int Failed, int Unknown)>(new CommandDefinition(
            StatsSql, new { topics = rows.Select(r => r.Topic).ToArray() }, cancellationToken: cancellationToken))).ToDictionary(s => s.Topic);
        return [.. rows.Select(r =>
        {
            var s = stats.GetValueOrDefault(r.Topic);
            return new BroadcastSummary(
                r.Id, r.Kind, r.SessionTitle, r.State, PostgresTime.Utc(r.CreatedAt), r.ScheduledAt is { } at ? PostgresTime.Utc(at) : null,
                Core.Organizers.TelegramHtml.ToPlain(r.Text), s.Total, s.Sent, s.Blocked, s.Failed, s.Unknown);
        })];
    }

    /// <summary>Everyone the broadcast did not reach: blocked, failed, unknown, or never sent (stopped).</summary>
    public async Task<IReadOnlyList<NotReached>> NotReachedAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = """
            select d.member_id as MemberId, m.username, coalesce(m.display_name, '') as DisplayName,
                   case when d.state in ('pending', 'sending') then 'not_sent' else d.state end as State
              from deliveries d left join members m on m.id = d.member_id
             where d.topic = @topic and d.state <> 'sent'
             order by d.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<NotReached>(new CommandDefinition(Sql, new { topic = BroadcastTopic.Key(id).ToString() }, cancellationToken: cancellationToken))];
    }
}
