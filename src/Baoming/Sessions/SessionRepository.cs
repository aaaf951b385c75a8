using System.Diagnostics;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Sessions;

/// <summary>What <c>/editsession</c> changes; null fields stay as they are.</summary>
public sealed record SessionEdit
{
    public string? Title { get; init; }

    public bool SetJoinUrl { get; init; }

    public string? JoinUrl { get; init; }

    public IReadOnlyList<string>? Aliases { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When true, <see cref="OpensAt"/> replaces the opening time (null: open now).</summary>
    public bool SetOpensAt { get; init; }

    public DateTimeOffset? OpensAt { get; init; }
}

public sealed class SessionRepository(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = StoredSession.Columns;

    /// <summary><see cref="Columns"/> for a <c>returning</c> clause, where the table has no alias.</summary>
    private const string ColumnsUnqualified = """
        id, key, title, aliases, starts_at as StartsAt, duration_minutes as DurationMinutes,
        capacity, join_url as JoinUrl, description, (cancelled_at is not null) as IsCancelled, opens_at as OpensAt
        """;

    /// <summary>
    /// How long the open-sessions list is reused. Every "报名 …" message needs it, and in a burst that
    /// was one query per message for a list that changes a few times a week. Changes made through this
    /// repository (configuration at start-up) clear it at once; changes made elsewhere show within this
    /// long. Real time, not <see cref="TimeProvider"/>: a test's frozen clock must not freeze the cache.
    /// </summary>
    private static readonly TimeSpan OpenCacheLifetime = TimeSpan.FromSeconds(1);

    private volatile OpenSessions? openCache;

    /// <summary>
    /// Upcoming sessions: not cancelled and not yet started, soonest first. A session whose sign-up opens later
    /// (<see cref="Session.OpensAt"/>) is among them: readers see it with its opening time. Whether a seat can be
    /// taken is decided against the clock at each use (<see cref="Core.Signup.SignupRules.IsBeforeOpening"/>),
    /// never by this cached list, so the list turns into an open session the moment the time comes.
    /// </summary>
    public async Task<IReadOnlyList<Session>> GetOpenAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {Columns} from sessions s
            where s.cancelled_at is null and s.starts_at > @now
            order by s.starts_at, s.id
            """;
        var now = time.GetUtcNow();
        var cached = openCache;
        if (cached is null || Stopwatch.GetElapsedTime(cached.ReadAt) > OpenCacheLifetime || now < cached.Now)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<StoredSession>(new CommandDefinition(Sql, new { now }, cancellationToken: cancellationToken));
            cached = new OpenSessions([.. rows.Select(r => r.ToSession())], now, Stopwatch.GetTimestamp());
            openCache = cached;
        }

        // A session that started since the list was read is no longer open.
        return cached.Sessions.All(s => s.StartsAt > now) ? cached.Sessions : [.. cached.Sessions.Where(s => s.StartsAt > now)];
    }

    private sealed record OpenSessions(IReadOnlyList<Session> Sessions, DateTimeOffset Now, long ReadAt);

    public async Task<Session?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from sessions s where s.id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredSession>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    public async Task<(Session Session, int Confirmed)?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns}, s.confirmed_count as Confirmed from sessions s where s.key = @key";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CountedRow>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToSession(), row.Confirmed);
    }

    /// <summary>The ids of the sessions with these keys (those that exist).</summary>
    public async Task<IReadOnlyDictionary<string, long>> IdsByKeyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        const string Sql = "select key, id from sessions where key = any(@keys)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, long Id)>(new CommandDefinition(Sql, new { keys = keys.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Key, r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>Drops the cached open-sessions list after a change made elsewhere (a cancellation, an edit).</summary>
    public void ForgetCached() => openCache = null;

    /// <summary>Every session with its seat counts, newest first, for <c>sessions list</c>.</summary>
    public async Task<IReadOnlyList<(Session Session, int Confirmed, int Waitlisted)>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {Columns}, s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted
            from sessions s order by s.starts_at desc, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountedRow>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.ToSession(), r.Confirmed, r.Waitlisted))];
    }

    /// <summary>Every session with its seat counts and whether it comes from the configuration; for organizers.</summary>
    public async Task<IReadOnlyList<SessionCounts>> ListWithSourceAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {Columns}, s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted, s.source as Source
            from sessions s order by s.starts_at desc, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountedRow>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SessionCounts(r.ToSession(), r.Confirmed, r.Waitlisted, r.IsFromConfiguration))];
    }

    public async Task<SessionCounts?> FindCountsByKeyAsync(string key, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {Columns}, s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted, s.source as Source
            from sessions s where s.key = @key
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CountedRow>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken));
        return row is null ? null : new SessionCounts(row.ToSession(), row.Confirmed, row.Waitlisted, row.IsFromConfiguration);
    }

    /// <summary>
    /// A session made in chat (<c>source = 'chat'</c>), in the series <paramref name="seriesId"/> if given (see
    /// <see cref="SeriesIdAsync"/>); null when the key is taken. The configuration's upsert only touches configured
    /// keys, so it survives restarts as it is.
    /// </summary>
    public async Task<Session?> CreateAsync(NewSession session, long? seriesId, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            insert into sessions (key, title, starts_at, duration_minutes, capacity, opens_at, series_id, source)
            values (@Key, @Title, @StartsAt, @DurationMinutes, @Capacity, @OpensAt, @seriesId, 'chat')
            on conflict (key) do nothing
            returning {ColumnsUnqualified}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredSession>(new CommandDefinition(Sql, new
        {
            session.Key,
            session.Title,
            StartsAt = session.StartsAt.UtcDateTime,
            session.DurationMinutes,
            session.Capacity,
            OpensAt = session.OpensAt?.UtcDateTime,
            seriesId,
        }, cancellationToken: cancellationToken));
        openCache = null;
        return row?.ToSession();
    }

    /// <summary>
    /// The id of the series with this key (table <c>series</c>, migration 0021), or null. Plain SQL here rather
    /// than the Series feature's types: Sessions comes before Series, which builds on it.
    /// </summary>
    public async Task<long?> SeriesIdAsync(string key, CancellationToken cancellationToken)
    {
        const string Sql = "select id from series where key = @key";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken));
    }

    /// <summary>The keys of the first <paramref name="limit"/> series, alphabetically: to name them when a key was mistyped.</summary>
    public async Task<IReadOnlyList<string>> SeriesKeysAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = "select key from series order by key limit @limit";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(Sql, new { limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>The key of the series a session is in, or null.</summary>
    public async Task<string?> SeriesKeyOfAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = "select r.key from sessions s join series r on r.id = s.series_id where s.id = @sessionId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Changes a session's title, join link, aliases, start time or opening time (not capacity: that promotes, see
    /// <see cref="ISessionSeats.SetCapacityAsync"/>). Returns the session before and after, or null. A new opening
    /// time is recorded as a <c>session-changed</c> follow-up by the trigger, in this transaction.
    /// </summary>
    public async Task<(Session Before, Session After)?> UpdateAsync(long id, SessionEdit edit, CancellationToken cancellationToken)
    {
        const string LockSql = $"select {Columns} from sessions s where s.id = @id and s.cancelled_at is null for update";
        const string UpdateSql = $"""
            update sessions s
               set title = coalesce(@Title, title),
                   join_url = case when @SetJoinUrl then @JoinUrl else join_url end,
                   aliases = coalesce(@Aliases, aliases),
                   starts_at = coalesce(@StartsAt, starts_at),
                   opens_at = case when @SetOpensAt then @OpensAt else opens_at end,
                   updated_at = now()
             where s.id = @id
            returning {Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<StoredSession>(new CommandDefinition(LockSql, new { id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }

        var after = await connection.QuerySingleAsync<StoredSession>(new CommandDefinition(UpdateSql, new
        {
            id,
            edit.Title,
            SetJoinUrl = edit.SetJoinUrl,
            edit.JoinUrl,
            Aliases = edit.Aliases?.ToArray(),
            StartsAt = edit.StartsAt?.UtcDateTime,
            edit.SetOpensAt,
            OpensAt = edit.OpensAt?.UtcDateTime,
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        openCache = null;
        return (before.ToSession(), after.ToSession());
    }

    /// <summary>
    /// Upserts the configured sessions by key. Seat counters, registrations and chat-made sessions
    /// whose keys are not in the configuration are left alone. A changed start time is a move: the
    /// trigger on <c>sessions</c> records its follow-ups (notice, reminders) in this transaction; a changed
    /// <c>OpensAt</c> likewise records a <c>session-changed</c> follow-up (the series' invitations follow it).
    /// </summary>
    public async Task UpsertAsync(IEnumerable<SessionConfig> sessions, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into sessions (key, title, aliases, starts_at, duration_minutes, capacity, join_url, description, reminder_offsets, opens_at, source)
            values (@Key, @Title, @Aliases, @StartsAt, @DurationMinutes, @Capacity, @JoinUrl, @Description, @ReminderOffsets, @OpensAt, 'config')
            on conflict (key) do update
               set title = excluded.title, aliases = excluded.aliases, starts_at = excluded.starts_at,
                   duration_minutes = excluded.duration_minutes, capacity = excluded.capacity,
                   join_url = excluded.join_url, description = excluded.description,
                   reminder_offsets = excluded.reminder_offsets, opens_at = excluded.opens_at, source = 'config', updated_at = now()
             where (sessions.title, sessions.aliases, sessions.starts_at, sessions.duration_minutes, sessions.capacity,
                    sessions.join_url, sessions.description, sessions.reminder_offsets, sessions.opens_at, sessions.source)
                   is distinct from
                   (excluded.title, excluded.aliases, excluded.starts_at, excluded.duration_minutes, excluded.capacity,
                    excluded.join_url, excluded.description, excluded.reminder_offsets, excluded.opens_at, 'config')
            """;
        openCache = null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var s in sessions)
        {
            await connection.ExecuteAsync(new CommandDefinition(Sql, new
            {
                s.Key,
                s.Title,
                Aliases = s.Aliases.ToArray(),
                StartsAt = s.StartsAt!.Value.ToUniversalTime(),
                s.DurationMinutes,
                s.Capacity,
                s.JoinUrl,
                s.Description,
                ReminderOffsets = s.ReminderOffsets?.ToArray(),
                OpensAt = s.OpensAt?.ToUniversalTime(),
            }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        openCache = null;
    }

    /// <summary>A session with its seat counters and, where a query reads it, where it comes from.</summary>
    private sealed record CountedRow : StoredSession
    {
        public int Confirmed { get; init; }
        public int Waitlisted { get; init; }

        /// <summary><c>sessions.source</c>: 'config' (the configuration's upsert) or 'chat' (made in chat); null when not read.</summary>
        public string? Source { get; init; }

        public bool IsFromConfiguration => Source == "config";
    }
}

/// <summary>
/// A <c>sessions</c> row as <see cref="Columns"/> selects it (alias <c>s</c>), and its one mapping to a
/// <see cref="Session"/>. A feature that reads a session together with columns of its own (Signup: seat
/// counters, a member's registration) selects <see cref="Columns"/> and derives its row from this one, so
/// the session's columns stay written once, here.
/// </summary>
public record StoredSession
{
    /// <summary>The columns that make a <see cref="Session"/>, from <c>sessions s</c>; shared by every query that returns one.</summary>
    public const string Columns = """
        s.id, s.key, s.title, s.aliases, s.starts_at as StartsAt, s.duration_minutes as DurationMinutes,
        s.capacity, s.join_url as JoinUrl, s.description, (s.cancelled_at is not null) as IsCancelled, s.opens_at as OpensAt
        """;

    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Title { get; init; } = "";
    public string[] Aliases { get; init; } = [];

    /// <summary>As Npgsql reads <c>timestamptz</c>: UTC, though its kind may say otherwise.</summary>
    public DateTime StartsAt { get; init; }
    public int DurationMinutes { get; init; }
    public int Capacity { get; init; }
    public string? JoinUrl { get; init; }
    public string? Description { get; init; }
    public bool IsCancelled { get; init; }

    /// <summary>UTC like <see cref="StartsAt"/>; null when sign-up opens with the session.</summary>
    public DateTime? OpensAt { get; init; }

    public Session ToSession() => new()
    {
        Id = Id,
        Key = Key,
        Title = Title,
        Aliases = Aliases,
        StartsAt = PostgresTime.Utc(StartsAt),
        DurationMinutes = DurationMinutes,
        Capacity = Capacity,
        JoinUrl = JoinUrl,
        Description = Description,
        IsCancelled = IsCancelled,
        OpensAt = OpensAt is { } opensAt ? PostgresTime.Utc(opensAt) : null,
    };
}
