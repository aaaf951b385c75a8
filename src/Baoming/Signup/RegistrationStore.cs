using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Signup;
using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Metrics;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Signup;

/// <summary>A member moved up from the waitlist, with what is needed to tell them.</summary>
public sealed record Promotion(long MemberId, string? LanguageCode);

/// <summary>One sign-up as it waits for its batch: who, and the time its decision is taken at.</summary>
/// <param name="Source">Where the member came from (a deep link's source), kept with a new registration.</param>
public sealed record SignupRequest(long MemberId, DateTimeOffset Now, string? Source = null);

public sealed record SignupResult(Session Session, SignupDecision Decision);

public sealed record CancelResult(Session Session, CancelDecision Decision, IReadOnlyList<Promotion> Promoted);

/// <summary>
/// The registrations' SQL: sign-ups (a batch at a time, see <see cref="SignupBatcher"/>), cancellations,
/// promotions, capacity, attendance and a member's list. Every change runs in a transaction that first
/// locks the session's row, so the seat counters and the decisions made by <see cref="SignupRules"/>
/// cannot race: two members contesting the last seat are serialised, and the unique (session, member)
/// constraint backs it up.
/// </summary>
public sealed class RegistrationStore(NpgsqlDataSource dataSource, BaomingMetrics metrics, FollowUps.FollowUps followUps) : ISessionSeats
{
    /// <summary>A waitlisted registration <c>r</c>'s 1-based place in line (null unless waitlisted).</summary>
    private const string WaitlistPosition = """
        case when r.status = 'waitlisted' then
            (select count(*) from registrations w
              where w.session_id = r.session_id and w.status = 'waitlisted' and w.waitlist_seq <= r.waitlist_seq)
        end as WaitlistPosition
        """;

    /// <summary>The session's seat counters, read beside <see cref="StoredSession.Columns"/>.</summary>
    private const string Counters = "s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted";

    /// <summary>The session (locked) and this member's registration in it; for cancellations.</summary>
    public const string LockSql = $"""
        select {StoredSession.Columns},
               {Counters},
               r.status as Status,
               {WaitlistPosition}
        from sessions s
        left join registrations r on r.session_id = s.id and r.member_id = @memberId
        where s.id = @sessionId
        for update of s
        """;

    /// <summary>
    /// A batch of sign-ups, first statement: the session, locked. Second (it runs once the lock is held):
    /// the batch's members' registrations in it, with their waitlist positions.
    /// </summary>
    public const string LockBatchSql = $"""
        select {StoredSession.Columns}, {Counters}
          from sessions s
         where s.id = @sessionId
           for update of s;
        select r.member_id as MemberId, r.status as Status,
               {WaitlistPosition}
          from registrations r
         where r.session_id = @sessionId and r.member_id = any(@memberIds)
        """;

    /// <summary>
    /// A batch's new registrations in decision order (so waitlist_seq follows it; a cancelled row is reused),
    /// and the seat counters moved once for all of them, by what was stored; answers the members stored.
    /// The session's opening time is checked here too, against each request's own clock (<c>@decidedAt</c>, the
    /// <see cref="TimeProvider"/> time the rules used): the rules already refuse a seat before
    /// <c>opens_at</c>, and this keeps the table itself from holding one, whatever a button (sent early, forged)
    /// or a future caller asks.
    /// </summary>
    public const string SignUpBatchSql = """
        with stored as (
            insert into registrations (session_id, member_id, status, waitlist_seq, source)
            select @sessionId, u.member_id, u.status, case when u.status = 'waitlisted' then nextval('waitlist_seq') end, u.source
              from unnest(@memberIds, @statuses, @sources, @decidedAt) with ordinality as u(member_id, status, source, decided_at, ord)
              join sessions s on s.id = @sessionId
             where s.opens_at is null or s.opens_at <= u.decided_at
             order by u.ord
            on conflict (session_id, member_id) do update
               set status = excluded.status, waitlist_seq = excluded.waitlist_seq, source = excluded.source,
                   registered_at = now(), cancelled_at = null
             where registrations.status = 'cancelled'
            returning member_id, status
        ), counted as (
            update sessions
               set confirmed_count = confirmed_count + (select count(*) from stored where status = 'confirmed'),
                   waitlisted_count = waitlisted_count + (select count(*) from stored where status = 'waitlisted')
             where id = @sessionId
        )
        select member_id from stored
        """;

    /// <summary>
    /// Signs up (or waitlists) each request in one transaction under the session's row lock. Decisions are
    /// taken one by one in the batch's order by <see cref="SignupRules"/>, exactly as separate transactions
    /// would; each result is null when the session does not exist.
    /// </summary>
    public async Task<IReadOnlyList<SignupResult?>> SignUpBatchAsync(long sessionId, IReadOnlyList<SignupRequest> batch, CancellationToken cancellationToken)
    {
        var results = new SignupResult?[batch.Count];
        var memberIds = batch.Select(b => b.MemberId).Distinct().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(LockBatchSql, new { sessionId, memberIds }, transaction, cancellationToken: cancellationToken));
        var row = await grid.ReadSingleOrDefaultAsync<SeatRow>();
        var existing = (await grid.ReadAsync<RegistrationRow>()).ToDictionary(
            e => e.MemberId, e => (Status: (RegistrationStatus?)ParseStatus(e.Status), Position: (int?)e.WaitlistPosition));
        if (row is null)
        {
            return results;
        }

        var session = row.ToSession();
        var (confirmed, waitlisted) = (row.Confirmed, row.Waitlisted);
        var inserts = new List<(long MemberId, string Status, string? Source, DateTimeOffset DecidedAt, int Index)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            var mine = existing.GetValueOrDefault(request.MemberId);
            var decision = SignupRules.Decide(
                new SeatState { Session = session, Confirmed = confirmed, Waitlisted = waitlisted, Existing = mine.Status, ExistingWaitlistPosition = mine.Position },
                request.Now);
            switch (decision)
            {
                case SignupDecision.Confirm:
                    confirmed++;
                    inserts.Add((request.MemberId, "confirmed", request.Source, request.Now, i));
                    existing[request.MemberId] = (RegistrationStatus.Confirmed, null);
                    break;
                case SignupDecision.Waitlist waitlist:
                    waitlisted++;
                    inserts.Add((request.MemberId, "waitlisted", request.Source, request.Now, i));
                    existing[request.MemberId] = (RegistrationStatus.Waitlisted, waitlist.Position);
                    break;
            }

            results[i] = new SignupResult(session, decision);
        }

        if (inserts.Count > 0)
        {
            var stored = (await connection.QueryAsync<long>(new CommandDefinition(SignUpBatchSql, new
            {
                sessionId,
                memberIds = inserts.Select(r => r.MemberId).ToArray(),
                statuses = inserts.Select(r => r.Status).ToArray(),
                sources = inserts.Select(r => r.Source).ToArray(),
                decidedAt = inserts.Select(r => r.DecidedAt.ToUniversalTime()).ToArray(),
            }, transaction, cancellationToken: cancellationToken))).ToHashSet();

            // Only if the rules and the table ever disagreed: the member was not seated, and hears so.
            foreach (var refused in inserts.Where(r => !stored.Contains(r.MemberId)))
            {
                results[refused.Index] = new SignupResult(session, session.OpensAt is { } opensAt
                    ? new SignupDecision.NotYetOpen(opensAt)
                    : new SignupDecision.Closed());
            }
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var result in results)
        {
            metrics.SignupDecided(result!.Decision);
        }

        return results;
    }

    public async Task<CancelResult?> CancelAsync(long memberId, long sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string CancelSql = """
            update registrations set status = 'cancelled', cancelled_at = now(), waitlist_seq = null
             where session_id = @sessionId and member_id = @memberId;
            update sessions
               set confirmed_count = confirmed_count - (@wasConfirmed)::int,
                   waitlisted_count = waitlisted_count - (not @wasConfirmed)::int
             where id = @sessionId;
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await LockAsync(connection, transaction, memberId, sessionId, cancellationToken);
        if (state is null)
        {
            return null;
        }

        var decision = SignupRules.DecideCancel(state, now);
        IReadOnlyList<Promotion> promoted = [];
        if (decision is CancelDecision.Cancel)
        {
            var wasConfirmed = state.Existing == RegistrationStatus.Confirmed;
            await connection.ExecuteAsync(new CommandDefinition(CancelSql, new { sessionId, memberId, wasConfirmed }, transaction, cancellationToken: cancellationToken));
            var confirmed = state.Confirmed - (wasConfirmed ? 1 : 0);
            var waitlisted = state.Waitlisted - (wasConfirmed ? 0 : 1);
            promoted = await PromoteAsync(connection, transaction, sessionId, SignupRules.SeatsToPromote(state.Session.Capacity, confirmed, waitlisted), PromotionTopic.Reason.SeatFreed, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (decision is CancelDecision.Cancel)
        {
            metrics.RegistrationCancelled();
        }

        metrics.Promoted(promoted.Count);
        if (promoted.Count > 0)
        {
            await followUps.RunNowAsync(cancellationToken);
        }

        return new CancelResult(state.Session, decision, promoted);
    }

    /// <summary>
    /// Sets a session's capacity under its row lock and promotes from the waitlist into any seats that
    /// opened (in waitlist order). Lowering it never demotes anyone already confirmed. Null when there is no such session.
    /// </summary>
    public async Task<(Session Session, IReadOnlyList<long> Promoted)?> SetCapacityAsync(long sessionId, int capacity, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            update sessions s set capacity = @capacity, updated_at = now()
             where s.id = @sessionId
            returning {StoredSession.Columns}, {Counters}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The update takes the row lock sign-ups take, so counters and seats cannot race.
        var row = await connection.QuerySingleOrDefaultAsync<SeatRow>(new CommandDefinition(Sql, new { sessionId, capacity }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var promoted = row.IsCancelled
            ? []
            : await PromoteAsync(connection, transaction, sessionId, SignupRules.SeatsToPromote(capacity, row.Confirmed, row.Waitlisted), PromotionTopic.Reason.MoreSeats, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Promoted(promoted.Count);
        if (promoted.Count > 0)
        {
            await followUps.RunNowAsync(cancellationToken);
        }

        return (row.ToSession(), promoted.Select(p => p.MemberId).ToList());
    }

    /// <summary>
    /// Moves the first <paramref name="seats"/> waitlisted members up, in waitlist order. In the same
    /// transaction each gets a ledger row under a topic of its own (<see cref="PromotionTopic"/>) and
    /// the fan-out is recorded as a follow-up, so the notice goes out once even if the process dies
    /// right after the commit or the send fails.
    /// </summary>
    internal static async Task<IReadOnlyList<Promotion>> PromoteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long sessionId, int seats, PromotionTopic.Reason reason, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            with next as (
                select id from registrations
                 where session_id = @sessionId and status = 'waitlisted'
                 order by waitlist_seq
                 limit @seats
                 for update
            ), promoted as (
                update registrations r set status = 'confirmed', waitlist_seq = null
                  from next where r.id = next.id
                returning r.member_id
            ), counted as (
                update sessions
                   set confirmed_count = confirmed_count + (select count(*) from promoted),
                       waitlisted_count = waitlisted_count - (select count(*) from promoted)
                 where id = @sessionId
            ), topic as (
                select {PromotionTopic.TopicSql} as key
            ), notices as (
                insert into deliveries (topic, member_id, variant, state)
                select topic.key, p.member_id, @variant, case when m.unreachable_at is null then 'pending' else 'blocked' end
                  from promoted p join members m on m.id = p.member_id, topic
            ), follow_up as (
                insert into follow_ups (kind, argument)
                select '{FanOutFollowUps.Kind}', topic.key from topic where exists (select 1 from promoted)
            )
            select p.member_id as MemberId, m.language_code as LanguageCode
              from promoted p join members m on m.id = p.member_id
            """;
        if (seats <= 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<Promotion>(new CommandDefinition(Sql, new { sessionId, seats, variant = (short)reason }, transaction, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>Notes "我会参加" on a confirmed registration; the session, or null when there is none.</summary>
    public async Task<Session?> MarkAttendingAsync(long memberId, long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            with marked as (
                update registrations set attending_at = coalesce(attending_at, now())
                 where member_id = @memberId and session_id = @sessionId and status = 'confirmed'
                returning session_id
            )
            select {StoredSession.Columns} from sessions s join marked on marked.session_id = s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredSession>(new CommandDefinition(Sql, new { memberId, sessionId }, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    /// <summary>The member's live sign-ups (confirmed or waitlisted) for sessions that have not ended, soonest first.</summary>
    public async Task<IReadOnlyList<MemberSignup>> ListForMemberAsync(long memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {StoredSession.Columns},
                   r.status as Status,
                   {WaitlistPosition}
            from registrations r
            join sessions s on s.id = r.session_id
            where r.member_id = @memberId and r.status <> 'cancelled'
              and s.starts_at + make_interval(mins => s.duration_minutes) > @now
            order by s.starts_at, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeatRow>(new CommandDefinition(Sql, new { memberId, now }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new MemberSignup(r.ToSession(), ParseStatus(r.Status!), (int?)r.WaitlistPosition))];
    }

    private static async Task<SeatState?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long memberId, long sessionId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SeatRow>(new CommandDefinition(LockSql, new { memberId, sessionId }, transaction, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new SeatState
            {
                Session = row.ToSession(),
                Confirmed = row.Confirmed,
                Waitlisted = row.Waitlisted,
                Existing = row.Status is null ? null : ParseStatus(row.Status),
                ExistingWaitlistPosition = (int?)row.WaitlistPosition,
            };
    }

    internal static RegistrationStatus ParseStatus(string status) => status switch
    {
        "confirmed" => RegistrationStatus.Confirmed,
        "waitlisted" => RegistrationStatus.Waitlisted,
        "cancelled" => RegistrationStatus.Cancelled,
        _ => throw new InvalidOperationException($"Unknown registration status '{status}'."),
    };

    /// <summary>
    /// A session as <see cref="StoredSession.Columns"/> reads it, with what a query adds: the seat
    /// <see cref="Counters"/> and, where it joins one, the member's registration (null when they have none).
    /// </summary>
    private sealed record SeatRow : StoredSession
    {
        public int Confirmed { get; init; }
        public int Waitlisted { get; init; }

        /// <summary><c>registrations.status</c>, as <see cref="ParseStatus"/> reads it.</summary>
        public string? Status { get; init; }
        public long? WaitlistPosition { get; init; }
    }

    /// <summary>A batch member's existing registration in the locked session.</summary>
    private sealed record RegistrationRow(long MemberId, string Status, long? WaitlistPosition);
}
