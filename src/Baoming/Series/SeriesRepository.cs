using System.Collections.Concurrent;
using System.Diagnostics;
using Baoming.Core.Series;
using Dapper;
using Npgsql;

namespace Baoming.Series;

/// <summary>The <c>series</c> and <c>series_follows</c> tables (0021), and which series a session belongs to.</summary>
public sealed class SeriesRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "x.id, x.key, x.title, x.aliases";

    /// <summary>
    /// How long <see cref="OfSessionCachedAsync"/> reuses a session's series. Every new sign-up asks, and most
    /// sessions belong to none: a query per sign-up for an answer that changes a few times a session's life.
    /// </summary>
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, (SeriesInfo? Series, long ReadAt)> sessionSeries = new();

    public async Task<IReadOnlyList<SeriesInfo>> AllAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from series x order by x.id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. (await connection.QueryAsync<Row>(new CommandDefinition(Sql, cancellationToken: cancellationToken))).Select(r => r.ToInfo())];
    }

    public async Task<SeriesInfo?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from series x where x.id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken)))?.ToInfo();
    }

    /// <summary>By key, exactly, else ignoring case (an organizer typing "Topics" for "topics").</summary>
    public async Task<SeriesInfo?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from series x where lower(x.key) = lower(@key) order by x.key = @key desc, x.id limit 1";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken)))?.ToInfo();
    }

    /// <summary>
    /// <see cref="OfSessionAsync"/> as read within the last second: for the sign-up path, where a series set
    /// a moment ago showing a moment later costs nothing and a round trip per sign-up does.
    /// </summary>
    public async Task<SeriesInfo?> OfSessionCachedAsync(long sessionId, CancellationToken cancellationToken)
    {
        if (sessionSeries.TryGetValue(sessionId, out var cached) && Stopwatch.GetElapsedTime(cached.ReadAt) <= CacheLifetime)
        {
            return cached.Series;
        }

        var series = await OfSessionAsync(sessionId, cancellationToken);
        sessionSeries[sessionId] = (series, Stopwatch.GetTimestamp());
        return series;
    }

    /// <summary>The series of a session, if it belongs to one.</summary>
    public async Task<SeriesInfo?> OfSessionAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from sessions s join series x on x.id = s.series_id where s.id = @sessionId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken)))?.ToInfo();
    }

    /// <summary>The series of each of these sessions that belongs to one.</summary>
    public async Task<IReadOnlyDictionary<long, SeriesInfo>> OfSessionsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = $"select s.id as SessionId, {Columns} from sessions s join series x on x.id = s.series_id where s.id = any(@sessionIds)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionRow>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.SessionId, r => r.ToInfo());
    }

    /// <summary>Creates a series (<c>/newseries</c>); the existing one when the key is taken.</summary>
    public async Task<(SeriesInfo Series, bool Existed)> CreateAsync(string key, string title, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            with created as (
                insert into series (key, title) values (@key, @title) on conflict (key) do nothing returning id, key, title, aliases
            )
            select x.id, x.key, x.title, x.aliases, false as Existed from created x
            union all
            select {Columns}, true from series x where x.key = @key and not exists (select 1 from created)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<CreatedRow>(new CommandDefinition(Sql, new { key, title }, cancellationToken: cancellationToken));
        return (row.ToInfo(), row.Existed);
    }

    /// <summary>Puts a session in a series, or takes it out (null); returns the series it had. The trigger records the change (session-changed).</summary>
    public async Task<long?> AssignAsync(long sessionId, long? seriesId, CancellationToken cancellationToken)
    {
        const string Sql = """
            update sessions s set series_id = @seriesId from sessions before
             where s.id = @sessionId and before.id = s.id
            returning before.series_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Sql, new { sessionId, seriesId }, cancellationToken: cancellationToken));
    }

    /// <summary>Follows (safe to repeat: a second press keeps the first follow and its source); true when it is new.</summary>
    public async Task<bool> FollowAsync(long memberId, long seriesId, string source, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into series_follows (member_id, series_id, source) values (@memberId, @seriesId, @source)
            on conflict (member_id, series_id) do nothing
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, seriesId, source }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>退订: the row goes (member data is not kept as a flag); true when there was one.</summary>
    public async Task<bool> UnfollowAsync(long memberId, long seriesId, CancellationToken cancellationToken)
    {
        const string Sql = "delete from series_follows where member_id = @memberId and series_id = @seriesId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, seriesId }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> IsFollowingAsync(long memberId, long seriesId, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select 1 from series_follows where member_id = @memberId and series_id = @seriesId)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { memberId, seriesId }, cancellationToken: cancellationToken));
    }

    /// <summary>What the member follows, oldest follow first.</summary>
    public async Task<IReadOnlyList<SeriesInfo>> FollowedAsync(long memberId, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from series_follows f join series x on x.id = f.series_id where f.member_id = @memberId order by f.followed_at, x.id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. (await connection.QueryAsync<Row>(new CommandDefinition(Sql, new { memberId }, cancellationToken: cancellationToken))).Select(r => r.ToInfo())];
    }

    /// <summary>Followers per series.</summary>
    public async Task<IReadOnlyDictionary<long, int>> FollowerCountsAsync(CancellationToken cancellationToken)
    {
        const string Sql = "select series_id as SeriesId, count(*)::int as Count from series_follows group by series_id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(long SeriesId, int Count)>(new CommandDefinition(Sql, cancellationToken: cancellationToken))).ToDictionary(r => r.SeriesId, r => r.Count);
    }

    // Init properties, not positional records: Dapper reports a text[] column as System.Array, which no
    // constructor parameter matches, while a string[] property takes it.
    private record Row
    {
        public long Id { get; init; }

        public string Key { get; init; } = "";

        public string Title { get; init; } = "";

        public string[] Aliases { get; init; } = [];

        public SeriesInfo ToInfo() => new(Id, Key, Title, Aliases);
    }

    private sealed record SessionRow : Row
    {
        public long SessionId { get; init; }
    }

    private sealed record CreatedRow : Row
    {
        public bool Existed { get; init; }
    }
}
