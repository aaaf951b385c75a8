using System.Security.Cryptography;
using System.Text;
using Baoming.Chat;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Baoming.Web;

/// <summary>A live dashboard session: whose, and the role it was opened with (which is what it grants).</summary>
public sealed record DashboardSession(long MemberId, Role Role);

/// <summary>
/// Login tickets and sessions of the job dashboard, in PostgreSQL so that every instance sees the same
/// ones. Both are random secrets handed out once; the tables keep their SHA-256 only. Nothing is
/// signed, so there is no key to derive, leak or rotate.
/// </summary>
public sealed class DashboardSessions(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Long enough to tap the link in the chat, short enough that an old message is useless.</summary>
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(8);

    /// <summary>Used and expired rows are kept this long (the audit log has the logins), then deleted.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    /// <summary>A new single-use ticket for <paramref name="memberId"/>; tidies away old tickets and sessions on the way.</summary>
    public async Task<string> IssueTicketAsync(long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            delete from dashboard_tickets where created_at < @stale;
            delete from dashboard_sessions where created_at < @stale;
            insert into dashboard_tickets (token_hash, member_id, created_at) values (@hash, @memberId, @now);
            """;
        var ticket = NewSecret();
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { hash = Hash(ticket), memberId, now, stale = now - Retention }, cancellationToken: cancellationToken));
        return ticket;
    }

    /// <summary>The member a ticket was issued to, once: null when it is unknown, used or expired.</summary>
    public async Task<long?> RedeemTicketAsync(string? ticket, CancellationToken cancellationToken)
    {
        // One statement, so two instances given the same ticket at once cannot both take it.
        const string Sql = """
            update dashboard_tickets set used_at = @now
            where token_hash = @hash and used_at is null and created_at > @issuedAfter
            returning member_id
            """;
        if (ticket is not { Length: > 0 })
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            Sql, new { hash = Hash(ticket), now, issuedAfter = now - TicketLifetime }, cancellationToken: cancellationToken));
    }

    /// <summary>Opens a session; returns its id, for the cookie and nowhere else.</summary>
    public async Task<string> OpenAsync(long memberId, Role role, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into dashboard_sessions (id_hash, member_id, role, created_at, last_seen_at)
            values (@hash, @memberId, @role, @now, @now)
            """;
        var id = NewSecret();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Sql, new { hash = Hash(id), memberId, role = RoleName(role), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>The live session with this id, marked as seen now; null when unknown, ended, idle too long or too old.</summary>
    public async Task<DashboardSession?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        const string Sql = """
            update dashboard_sessions set last_seen_at = @now
            where id_hash = @hash and ended_at is null and last_seen_at > @idleSince and created_at > @openedAfter
            returning member_id as memberid, role
            """;
        if (id is not { Length: > 0 })
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            Sql, new { hash = Hash(id), now, idleSince = now - IdleTimeout, openedAfter = now - AbsoluteLifetime }, cancellationToken: cancellationToken));
        return row is null ? null : new DashboardSession(row.MemberId, row.Role == "admin" ? Role.Admin : Role.Organizer);
    }

    /// <summary>Ends one session (logging out in the browser, or a role lower than at login).</summary>
    public async Task EndAsync(string id, CancellationToken cancellationToken)
    {
        const string Sql = "update dashboard_sessions set ended_at = @now where id_hash = @hash and ended_at is null";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { hash = Hash(id), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Ends every live session of a member (<c>/logout</c> in the chat); returns how many there were.</summary>
    public async Task<int> EndAllAsync(long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            update dashboard_sessions set ended_at = @now
            where member_id = @memberId and ended_at is null and last_seen_at > @idleSince and created_at > @openedAfter
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            Sql, new { memberId, now, idleSince = now - IdleTimeout, openedAfter = now - AbsoluteLifetime }, cancellationToken: cancellationToken));
    }

    /// <summary>256 random bits, URL-safe (43 characters).</summary>
    private static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string RoleName(Role role) => role == Role.Admin ? "admin" : "organizer";

    private sealed record SessionRow(long MemberId, string Role);
}
