using System.Collections.Concurrent;
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

public sealed record SignupResult(Session Session, SignupDecision Decision);

public sealed record CancelResult(Session Session, CancelDecision Decision, IReadOnlyList<Promotion> Promoted);

/// <summary>
/// Sign-ups and cancellations. Each runs in a transaction that first locks the session's row, so
/// the seat counters and the decisions made by <see cref="SignupRules"/> cannot race: two members
/// contesting the last seat are serialised, and the unique (session, member) constraint backs it up.
/// Sign-ups for the same session share a transaction when they arrive together (see <see cref="MaxBatch"/>).
/// </summary>
public sealed class RegistrationRepository(NpgsqlDataSource dataSource, SessionRepository sessions, BaomingMetrics metrics, FollowUps.FollowUps followUps) : ISessionSeats
{
    /// <summary>A waitlisted registration <c>r</c>'s 1-based place in line (null unless waitlisted).</summary>
    private const string ExistingWaitlistPosition = """
        case when r.status = 'waitlisted' then
            (select count(*) from registrations w
              where w.session_id = r.session_id and w.status = 'waitlisted' and w.waitlist_seq <= r.waitlist_seq)
        end as ExistingWaitlistPosition
        """;

    /// <summary>The session (locked) and this member's registration in it; for cancellations.</summary>
    public const string LockSql = $"""
        select {SessionRepository.Columns},
               s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted,
               r.status as Existing,
               {ExistingWaitlistPosition}
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
        select {SessionRepository.Columns}, s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted
          from sessions s
         where s.id = @sessionId
           for update of s;
        select r.member_id as MemberId, r.status as Existing,
               {ExistingWaitlistPosition}
          from registrations r
         where r.session_id = @sessionId and r.member_id = any(@memberIds)
        """;

    /// <summary>
    /// A batch's new registrations in decision order (so waitlist_seq follows it; a cancelled row is reused),
    /// and the seat counters moved once for all of them.
    /// </summary>
    public const string SignUpBatchSql = """
        insert into registrations (session_id, member_id, status, waitlist_seq)
        select @sessionId, u.member_id, u.status, case when u.status = 'waitlisted' then nextval('waitlist_seq') end
          from unnest(@memberIds, @statuses) with ordinality as u(member_id, status, ord)
         order by u.ord
        on conflict (session_id, member_id) do update
           set status = excluded.status, waitlist_seq = excluded.waitlist_seq,
               registered_at = now(), cancelled_at = null
         where registrations.status = 'cancelled';
        update sessions
           set confirmed_count = confirmed_count + @confirmed,
               waitlisted_count = waitlisted_count + @waitlisted
         where id = @sessionId;
        """;

    /// <summary>
    /// A burst sends every sign-up to the same session row lock. One transaction per sign-up would
    /// queue them all on that lock, one commit at a time; so sign-ups for a session are combined: while
    /// one batch's transaction runs, the next gathers, and each batch takes the lock and commits once.
    /// </summary>
    private const int MaxBatch = 200;

    private readonly ConcurrentDictionary<long, SignupQueue> queues = new();

    /// <summary>How many sessions have a sign-up queue (one each, kept for the process's life): for tests.</summary>
    internal int QueueCount => queues.Count;

    /// <summary>
    /// Signs the member up (or waitlists them) under the session's row lock, in a batch with whatever other
    /// sign-ups for the session are waiting. Decisions are taken one by one in arrival order by
    /// <see cref="SignupRules"/>, exactly as separate transactions would; null when the session does not exist.
    /// </summary>
    public async Task<SignupResult?> SignUpAsync(long memberId, long sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A queue is kept for each session ever signed up for: a forged id ("su:<any number>") must not add one.
        if (!await ExistsAsync(sessionId, cancellationToken))
        {
            return null;
        }

        var request = new PendingSignup(memberId, now);
        var queue = queues.GetOrAdd(sessionId, id => new SignupQueue(id));
        if (queue.Add(request))
        {
            // The first sign-up into an idle queue starts its drain, off the lanes' path.
            _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
        }

        return await request.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Open sessions come from the cached list (no query for the usual press); any other id is looked up,
    /// so a past or cancelled session's button still gets its "closed" answer rather than the stale notice.
    /// </summary>
    private async Task<bool> ExistsAsync(long sessionId, CancellationToken cancellationToken) =>
        (await sessions.GetOpenAsync(cancellationToken)).Any(s => s.Id == sessionId)
        || await sessions.FindAsync(sessionId, cancellationToken) is not null;

    private async Task DrainAsync(SignupQueue queue)
    {
        while (queue.Take(MaxBatch) is { Count: > 0 } batch)
        {
            try
            {
                // Not cancelled with any one caller: the batch is theirs together; Npgsql's timeouts bound it.
                var results = await SignUpBatchAsync(queue.SessionId, batch, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Each caller sees the failure (an outage is retried by its lane) and may try again.
                foreach (var request in batch)
                {
                    request.Result.TrySetException(e);
                }
            }
        }
    }

    private async Task<SignupResult?[]> SignUpBatchAsync(long sessionId, IReadOnlyList<PendingSignup> batch, CancellationToken cancellationToken)
    {
        var results = new SignupResult?[batch.Count];
        var memberIds = batch.Select(b => b.MemberId).Distinct().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(LockBatchSql, new { sessionId, memberIds }, transaction, cancellationToken: cancellationToken));
        var row = await grid.ReadSingleOrDefaultAsync<SessionRepository.SessionRow>();
        var existing = (await grid.ReadAsync<ExistingRow>()).ToDictionary(
            e => e.MemberId, e => (Status: (RegistrationStatus?)ParseStatus(e.Existing), Position: (int?)e.ExistingWaitlistPosition));
        if (row is null)
        {
            return results;
        }

        var session = row.ToSession();
        var (confirmed, waitlisted) = (row.Confirmed, row.Waitlisted);
        var inserts = new List<(long MemberId, string Status)>();
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
                    inserts.Add((request.MemberId, "confirmed"));
                    existing[request.MemberId] = (RegistrationStatus.Confirmed, null);
                    break;
                case SignupDecision.Waitlist waitlist:
                    waitlisted++;
                    inserts.Add((request.MemberId, "waitlisted"));
                    existing[request.MemberId] = (RegistrationStatus.Waitlisted, waitlist.Position);
                    break;
            }

            results[i] = new SignupResult(session, decision);
        }

        if (inserts.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(SignUpBatchSql, new
            {
                sessionId,
                memberIds = inserts.Select(r => r.MemberId).ToArray(),
                statuses = inserts.Select(r => r.Status).ToArray(),
                confirmed = confirmed - row.Confirmed,
                waitlisted = waitlisted - row.Waitlisted,
            }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var result in results)
        {
            metrics.SignupDecided(result!.Decision);
        }

        return results;
    }

    /// <summary>A sign-up waiting for its batch.</summary>
    private sealed class PendingSignup(long memberId, DateTimeOffset now)
    {
        public long MemberId { get; } = memberId;

        public DateTimeOffset Now { get; } = now;

        public TaskCompletionSource<SignupResult?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One session's waiting sign-ups, and whether a drain is running for them.</summary>
    private sealed class SignupQueue(long sessionId)
    {
        private readonly Lock gate = new();
        private List<PendingSignup> pending = [];
        private bool isDraining;

        public long SessionId { get; } = sessionId;

        /// <summary>Queues the request; true when no drain is running, so the caller must start one.</summary>
        public bool Add(PendingSignup request)
        {
            lock (gate)
            {
                pending.Add(request);
                var mustStart = !isDraining;
                isDraining = true;
                return mustStart;
            }
        }

        /// <summary>The next batch in arrival order; empty (and the drain over) when nothing waits.</summary>
        public List<PendingSignup> Take(int max)
        {
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    isDraining = false;
                    return [];
                }

                if (pending.Count <= max)
                {
                    var all = pending;
                    pending = [];
                    return all;
                }

                var batch = pending[..max];
                pending.RemoveRange(0, max);
                return batch;
            }
        }
    }

    private sealed record ExistingRow(long MemberId, string Existing, long? ExistingWaitlistPosition);

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
            returning {SessionRepository.Columns}, s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The update takes the row lock sign-ups take, so counters and seats cannot race.
        var row = await connection.QuerySingleOrDefaultAsync<SessionRepository.SessionRow>(new CommandDefinition(Sql, new { sessionId, capacity }, transaction, cancellationToken: cancellationToken));
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
            select {SessionRepository.Columns} from sessions s join marked on marked.session_id = s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRepository.SessionRow>(new CommandDefinition(Sql, new { memberId, sessionId }, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    /// <summary>The member's live sign-ups (confirmed or waitlisted) for sessions that have not ended, soonest first.</summary>
    public async Task<IReadOnlyList<MemberSignup>> ListForMemberAsync(long memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select {SessionRepository.Columns},
                   r.status as Existing,
                   {ExistingWaitlistPosition}
            from registrations r
            join sessions s on s.id = r.session_id
            where r.member_id = @memberId and r.status <> 'cancelled'
              and s.starts_at + make_interval(mins => s.duration_minutes) > @now
            order by s.starts_at, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionRepository.SessionRow>(new CommandDefinition(Sql, new { memberId, now }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new MemberSignup(r.ToSession(), ParseStatus(r.Existing!), (int?)r.ExistingWaitlistPosition))];
    }

    private static async Task<SeatState?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long memberId, long sessionId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SessionRepository.SessionRow>(new CommandDefinition(LockSql, new { memberId, sessionId }, transaction, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new SeatState
            {
                Session = row.ToSession(),
                Confirmed = row.Confirmed,
                Waitlisted = row.Waitlisted,
                Existing = row.Existing is null ? null : ParseStatus(row.Existing),
                ExistingWaitlistPosition = (int?)row.ExistingWaitlistPosition,
            };
    }

    internal static RegistrationStatus ParseStatus(string status) => status switch
    {
        "confirmed" => RegistrationStatus.Confirmed,
        "waitlisted" => RegistrationStatus.Waitlisted,
        "cancelled" => RegistrationStatus.Cancelled,
        _ => throw new InvalidOperationException($"Unknown registration status '{status}'."),
    };
}
