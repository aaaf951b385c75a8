using Dapper;
using Npgsql;

namespace Baoming.Members;

/// <summary>Who wrote to the bot, as Telegram last described them.</summary>
public sealed record MemberProfile(long Id, string DisplayName, string? Username, string? LanguageCode);

public sealed class MemberRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Inserts or refreshes members in one statement. Rows that did not change are not rewritten, and
    /// a member who writes again is reachable again even if they had blocked the bot before.
    /// </summary>
    public const string UpsertSql = """
        insert into members (id, display_name, username, language_code)
        select * from unnest(@Ids, @DisplayNames, @Usernames, @LanguageCodes)
        on conflict (id) do update
           set display_name = excluded.display_name,
               username = excluded.username,
               language_code = excluded.language_code,
               unreachable_at = null
         where (members.display_name, members.username, members.language_code) is distinct from
               (excluded.display_name, excluded.username, excluded.language_code)
            or members.unreachable_at is not null
        """;

    public async Task UpsertAsync(IReadOnlyCollection<MemberProfile> members, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UpsertSql, UpsertParameters(members), cancellationToken: cancellationToken));
    }

    /// <summary>Parameters for <see cref="UpsertSql"/>; one row per member id (the last profile wins).</summary>
    public static MemberBatch UpsertParameters(IReadOnlyCollection<MemberProfile> members)
    {
        // ON CONFLICT cannot touch the same row twice in one statement.
        var distinct = members.GroupBy(m => m.Id).Select(g => g.Last()).ToArray();
        return new MemberBatch(
            [.. distinct.Select(m => m.Id)],
            [.. distinct.Select(m => m.DisplayName)],
            [.. distinct.Select(m => m.Username)],
            [.. distinct.Select(m => m.LanguageCode)]);
    }

    /// <summary>Members as parallel arrays, for <c>unnest</c>.</summary>
    public sealed record MemberBatch(long[] Ids, string[] DisplayNames, string?[] Usernames, string?[] LanguageCodes);

    public async Task<MemberProfile?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = """
            select id, display_name as DisplayName, username, language_code as LanguageCode
            from members where id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MemberProfile>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Members who go by <paramref name="username"/> (without the @), case-insensitively as Telegram
    /// treats usernames. Usually one; several when a username changed hands and both wrote to the bot.
    /// </summary>
    public async Task<IReadOnlyList<MemberProfile>> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        const string Sql = """
            select id, display_name as DisplayName, username, language_code as LanguageCode
            from members where lower(username) = lower(@username)
            order by id
            limit 10
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<MemberProfile>(new CommandDefinition(Sql, new { username }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>Telegram said 403: blocked or deactivated. Nothing is sent to them again until they write.</summary>
    public async Task MarkUnreachableAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = "update members set unreachable_at = now() where id = @id and unreachable_at is null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>They unblocked the bot (my_chat_member back to "member"): broadcasts and reminders reach them again.</summary>
    public async Task MarkReachableAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = "update members set unreachable_at = null where id = @id and unreachable_at is not null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
    }
}
