using System.Collections.Concurrent;
using System.Diagnostics;
using Baoming.Core.Questions;
using Dapper;
using Npgsql;

namespace Baoming.Questions;

/// <summary>One member's row of a session's answer sheet: one line per signed-up member and answer (or none).</summary>
public sealed record AnswerSheetRow(long MemberId, string? Username, string DisplayName, string Status, long? QuestionId, string? Answer);

/// <summary>A question of an export: current, or taken out but answered by someone.</summary>
public sealed record ExportQuestion(long Id, long SessionId, string Key, int Position, string Text, bool IsRemoved);

/// <summary>
/// The <c>session_questions</c> and <c>question_answers</c> tables. A session's current questions are read on
/// every sign-up, so they are kept for a second: a burst of sign-ups reads them once, not once each.
/// </summary>
public sealed class QuestionRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// How long a session's questions are reused. Changes made through this repository clear them at once;
    /// changes made on another instance show within this long. Real time, as the sessions' own cache.
    /// </summary>
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private const string QuestionColumns = """
        q.id, q.session_id as SessionId, q.position, q.text, q.choices, q.is_required as IsRequired, (q.removed_at is not null) as IsRemoved
        """;

    private readonly ConcurrentDictionary<long, (IReadOnlyList<SessionQuestion> Questions, long ReadAt)> cache = new();

    /// <summary>The session's current questions in order; empty when it has none.</summary>
    public async Task<IReadOnlyList<SessionQuestion>> CurrentAsync(long sessionId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(sessionId, out var cached) && Stopwatch.GetElapsedTime(cached.ReadAt) <= CacheLifetime)
        {
            return cached.Questions;
        }

        const string Sql = $"""
            select {QuestionColumns} from session_questions q
             where q.session_id = @sessionId and q.removed_at is null
             order by q.position, q.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuestionRow>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
        IReadOnlyList<SessionQuestion> questions = [.. rows.Select((r, i) => r.ToQuestion(i + 1))];
        cache[sessionId] = (questions, Stopwatch.GetTimestamp());
        return questions;
    }

    /// <summary>A current question and its session; null for a question taken out or never made.</summary>
    public async Task<(long SessionId, SessionQuestion Question)?> FindCurrentAsync(long questionId, CancellationToken cancellationToken)
    {
        const string Sql = "select session_id from session_questions where id = @questionId and removed_at is null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sessionId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(Sql, new { questionId }, cancellationToken: cancellationToken));
        if (sessionId is not { } id)
        {
            return null;
        }

        return (await CurrentAsync(id, cancellationToken)).FirstOrDefault(q => q.Id == questionId) is { } question ? (id, question) : null;
    }

    /// <summary>
    /// Makes <paramref name="wanted"/> the session's questions (<see cref="QuestionPlan"/>: same text, same id;
    /// others taken out, not deleted). Returns the questions before, and whether anything changed. The
    /// session's row lock keeps two edits (or two instances starting) from interleaving.
    /// </summary>
    public async Task<(IReadOnlyList<QuestionSpec> Before, bool IsChange)> ReplaceAsync(long sessionId, IReadOnlyList<QuestionSpec> wanted, CancellationToken cancellationToken)
    {
        const string LockSql = "select id from sessions where id = @sessionId for update";
        const string StoredSql = $"""
            select {QuestionColumns} from session_questions q
             where q.session_id = @sessionId
             order by q.removed_at is not null, q.position, q.id
            """;
        const string RemoveSql = "update session_questions set removed_at = now() where id = any(@removed) and removed_at is null";
        const string UpdateSql = """
            update session_questions set position = @position, text = @text, choices = @choices, is_required = @isRequired, removed_at = null
             where id = @id
            """;
        const string InsertSql = """
            insert into session_questions (session_id, position, text, choices, is_required)
            values (@sessionId, @position, @text, @choices, @isRequired)
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LockSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
        var stored = (await connection.QueryAsync<QuestionRow>(new CommandDefinition(StoredSql, new { sessionId }, transaction, cancellationToken: cancellationToken)))
            .Select(r => new StoredQuestion(r.Id, r.ToSpec(), r.IsRemoved)).ToList();
        var plan = QuestionPlan.Make(stored, wanted);
        if (plan.IsChange)
        {
            // Taken out first: a question put back under a new place must not meet its old self.
            await connection.ExecuteAsync(new CommandDefinition(RemoveSql, new { removed = plan.Removed.ToArray() }, transaction, cancellationToken: cancellationToken));
            for (var i = 0; i < plan.Wanted.Count; i++)
            {
                var (id, spec) = plan.Wanted[i];
                var row = new { id, sessionId, position = i + 1, text = spec.Text, choices = spec.Choices.ToArray(), isRequired = spec.IsRequired };
                await connection.ExecuteAsync(new CommandDefinition(id is null ? InsertSql : UpdateSql, row, transaction, cancellationToken: cancellationToken));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        cache.TryRemove(sessionId, out _);
        return ([.. stored.Where(q => !q.IsRemoved).Select(q => q.Spec)], plan.IsChange);
    }

    /// <summary>
    /// Records <paramref name="answer"/> (null: no answer, for 跳过) to a current question, if the member is
    /// signed up (confirmed or waitlisted) for its session. False when not: nothing is stored.
    /// </summary>
    public async Task<bool> AnswerAsync(long questionId, long memberId, string? answer, CancellationToken cancellationToken)
    {
        const string AllowedSql = """
            select q.id from session_questions q
             where q.id = @questionId and q.removed_at is null
               and exists (select from registrations r where r.session_id = q.session_id and r.member_id = @memberId and r.status <> 'cancelled')
            """;
        const string UpsertSql = $"""
            insert into question_answers (question_id, member_id, answer)
            select id, @memberId, @answer from ({AllowedSql}) allowed
            on conflict (question_id, member_id) do update set answer = excluded.answer, answered_at = now()
            """;
        const string DeleteSql = $"""
            with allowed as ({AllowedSql}),
                 gone as (delete from question_answers a using allowed where a.question_id = allowed.id and a.member_id = @memberId)
            select count(*) from allowed
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new { questionId, memberId, answer };
        return answer is null
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition(DeleteSql, parameters, cancellationToken: cancellationToken)) > 0
            : await connection.ExecuteAsync(new CommandDefinition(UpsertSql, parameters, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Whether the member is signed up (confirmed or waitlisted) for the session.</summary>
    public async Task<bool> IsSignedUpAsync(long sessionId, long memberId, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select from registrations where session_id = @sessionId and member_id = @memberId and status <> 'cancelled')";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { sessionId, memberId }, cancellationToken: cancellationToken));
    }

    /// <summary>The member's answers to the session's current questions, by question id.</summary>
    public async Task<IReadOnlyDictionary<long, string>> AnswersAsync(long sessionId, long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            select a.question_id, a.answer from question_answers a join session_questions q on q.id = a.question_id
             where q.session_id = @sessionId and q.removed_at is null and a.member_id = @memberId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long QuestionId, string Answer)>(new CommandDefinition(Sql, new { sessionId, memberId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.QuestionId, r => r.Answer);
    }

    /// <summary>
    /// Every signed-up (confirmed, then waitlisted) member of the session with their answers to
    /// <paramref name="questionIds"/>: a row per answer, or one row without an answer.
    /// </summary>
    public async Task<IReadOnlyList<AnswerSheetRow>> AnswerSheetAsync(long sessionId, IReadOnlyList<long> questionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select m.id as MemberId, m.username, m.display_name as DisplayName, r.status, a.question_id as QuestionId, a.answer
              from registrations r
              join members m on m.id = r.member_id
              left join question_answers a on a.member_id = r.member_id and a.question_id = any(@questionIds)
             where r.session_id = @sessionId and r.status <> 'cancelled'
             order by r.status = 'waitlisted', r.waitlist_seq, r.registered_at, r.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AnswerSheetRow>(new CommandDefinition(Sql, new { sessionId, questionIds = questionIds.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>The questions of an export of these sessions: the current ones in order, then those taken out that someone answered.</summary>
    public async Task<IReadOnlyList<ExportQuestion>> ForExportAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = """
            select q.id, q.session_id as SessionId, s.key, q.position, q.text, (q.removed_at is not null) as IsRemoved
              from session_questions q join sessions s on s.id = q.session_id
             where q.session_id = any(@sessionIds)
               and (q.removed_at is null or exists (select from question_answers a where a.question_id = q.id))
             order by s.starts_at, s.id, q.removed_at is not null, q.position, q.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ExportQuestion>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>Settable properties, not a positional record: Dapper reads a <c>text[]</c> as an <see cref="Array"/> and matches no constructor.</summary>
    private sealed class QuestionRow
    {
        public long Id { get; init; }

        public long SessionId { get; init; }

        public int Position { get; init; }

        public string Text { get; init; } = "";

        public string[] Choices { get; init; } = [];

        public bool IsRequired { get; init; }

        public bool IsRemoved { get; init; }

        public QuestionSpec ToSpec() => new(Text, Choices, IsRequired);

        public SessionQuestion ToQuestion(int number) => new(Id, number, ToSpec());
    }
}
