using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Signup;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Signup;

/// <summary>A member moved up from the waitlist, with what is needed to tell them.</summary>
public sealed record Promotion(long MemberId, string? LanguageCode);

public sealed record SignupResult(Session Session, SignupDecision Decision);

public sealed record CancelResult(Session Session, CancelDecision Decision, IReadOnlyList<Promotion> Promoted);

/// <summary>
/// Sign-ups and cancellations. Each runs in one transaction that first locks the session's row, so
/// the seat counters and the decision made by <see cref="SignupRules"/> cannot race: two members
/// contesting the last seat are serialised, and the unique (session, member) constraint backs it up.
/// </summary>
public sealed class RegistrationRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The session (locked) and this member's registration in it.</summary>
    public const string LockSql = $"""
        select {SessionRepository.Columns},
               s.confirmed_count as Confirmed, s.waitlisted_count as Waitlisted,
               r.status as Existing,
               case when r.status = 'waitlisted' then
                   (select count(*) from registrations w
                     where w.session_id = s.id and w.status = 'waitlisted' and w.waitlist_seq <= r.waitlist_seq)
               end as ExistingWaitlistPosition
        from sessions s
        left join registrations r on r.session_id = s.id and r.member_id = @memberId
        where s.id = @sessionId
        for update of s
        """;

    public const string SignUpSql = """
        insert into registrations (session_id, member_id, status, waitlist_seq)
        values (@sessionId, @memberId, @status, case when @status = 'waitlisted' then nextval('waitlist_seq') end)
        on conflict (session_id, member_id) do update
           set status = excluded.status, waitlist_seq = excluded.waitlist_seq,
               registered_at = now(), cancelled_at = null
         where registrations.status = 'cancelled';
        update sessions
           set confirmed_count = confirmed_count + (@status = 'confirmed')::int,
               waitlisted_count = waitlisted_count + (@status = 'waitlisted')::int
         where id = @sessionId;
        """;

    public async Task<SignupResult?> SignUpAsync(long memberId, long sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await LockAsync(connection, transaction, memberId, sessionId, cancellationToken);
        if (state is null)
        {
            return null;
        }

        var decision = SignupRules.Decide(state, now);
        var status = decision switch
        {
            SignupDecision.Confirm => "confirmed",
            SignupDecision.Waitlist => "waitlisted",
            _ => null,
        };
        if (status is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(SignUpSql, new { sessionId, memberId, status }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new SignupResult(state.Session, decision);
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
            promoted = await PromoteAsync(connection, transaction, sessionId, SignupRules.SeatsToPromote(state.Session.Capacity, confirmed, waitlisted), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new CancelResult(state.Session, decision, promoted);
    }

    /// <summary>Moves the first <paramref name="seats"/> waitlisted members up, in waitlist order.</summary>
    internal static async Task<IReadOnlyList<Promotion>> PromoteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long sessionId, int seats, CancellationToken cancellationToken)
    {
        const string Sql = """
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
            )
            select p.member_id as MemberId, m.language_code as LanguageCode
              from promoted p join members m on m.id = p.member_id
            """;
        if (seats <= 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<Promotion>(new CommandDefinition(Sql, new { sessionId, seats }, transaction, cancellationToken: cancellationToken));
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
                   case when r.status = 'waitlisted' then
                       (select count(*) from registrations w
                         where w.session_id = s.id and w.status = 'waitlisted' and w.waitlist_seq <= r.waitlist_seq)
                   end as ExistingWaitlistPosition
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
