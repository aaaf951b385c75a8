using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Notes;

/// <summary>A note with its answer, if it has one: who answered (their @username, else their name), when, what.</summary>
public sealed record StoredNote(NoteCard Card, DateTimeOffset? AnsweredAt, long? AnsweredBy, string? AnsweredByName, string? Answer)
{
    public bool IsAnswered => AnsweredAt is not null;
}

/// <summary>
/// The <c>notes</c> table. A new note and an answer each plant their fan-out ("note:ID" to the organizers,
/// "noteanswer:ID" to the reader) in the same statement as the change, as follow-ups: a crash right
/// after the insert loses no delivery, and the ledger sends each at most once.
/// </summary>
public sealed class NoteRepository(NpgsqlDataSource dataSource)
{
    // The author's name and @username as the members table holds them now, so the organizers see who wrote.
    private const string SelectSql = """
        select n.id, n.member_id as AuthorId, m.display_name as AuthorName, m.username as AuthorUsername, n.text, n.created_at as CreatedAt,
               n.answered_at as AnsweredAt, n.answered_by as AnsweredBy,
               case when a.username <> '' then '@' || a.username else a.display_name end as AnsweredByName, n.answer
          from notes n
          left join members m on m.id = n.member_id
          left join members a on a.id = n.answered_by
        """;

    /// <summary>Stores the note and plants its delivery to the organizers; returns its id.</summary>
    public async Task<long> CreateAsync(long memberId, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            with note as (
                insert into notes (member_id, text, created_at) values (@memberId, @text, @now)
                returning id
            ), follow_up as (
                insert into follow_ups (kind, argument)
                select '{FanOutFollowUps.Kind}', '{NoteTopic.TopicKind}:' || id from note
            )
            select id from note
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, new { memberId, text, now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    public async Task<StoredNote?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string Sql = $"{SelectSql} where n.id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
        return row?.ToNote();
    }

    /// <summary>
    /// Answers the note if nobody has yet: the answer, the audit entry and the delivery to the reader in one
    /// statement. False when another organizer was first (or the note is gone): nothing is written.
    /// </summary>
    public async Task<bool> AnswerAsync(long id, long answeredBy, string answer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            with answered as (
                update notes set answered_at = @now, answered_by = @answeredBy, answer = @answer
                 where id = @id and answered_at is null
                returning id, member_id
            ), audited as (
                insert into audit_log (actor_id, action, details)
                select @answeredBy, 'note.answer', jsonb_build_object('note_id', id, 'member_id', member_id, 'length', char_length(@answer)) from answered
            ), follow_up as (
                insert into follow_ups (kind, argument)
                select '{FanOutFollowUps.Kind}', '{NoteAnswerTopic.TopicKind}:' || id from answered
            )
            select count(*) from answered
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, new { id, answeredBy, answer, now = now.UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The newest <paramref name="limit"/> unanswered notes, and how many older ones wait beyond them.</summary>
    public async Task<(IReadOnlyList<NoteCard> Notes, int More)> UnansweredAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            {SelectSql} where n.answered_at is null order by n.id desc limit @limit;
            select count(*)::int from notes where answered_at is null;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new { limit }, cancellationToken: cancellationToken));
        var notes = (await results.ReadAsync<Row>()).Select(r => r.ToNote().Card).ToList();
        var total = await results.ReadSingleAsync<int>();
        return (notes, Math.Max(total - notes.Count, 0));
    }

    private sealed record Row(
        long Id, long AuthorId, string? AuthorName, string? AuthorUsername, string Text, DateTime CreatedAt,
        DateTime? AnsweredAt, long? AnsweredBy, string? AnsweredByName, string? Answer)
    {
        public StoredNote ToNote() =>
            new(
                new NoteCard(Id, AuthorId, AuthorName, AuthorUsername, Text, PostgresTime.Utc(CreatedAt)),
                AnsweredAt is { } at ? PostgresTime.Utc(at) : null, AnsweredBy, AnsweredByName, Answer);
    }
}
