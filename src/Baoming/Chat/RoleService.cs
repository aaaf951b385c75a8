using Baoming.Community;
using Dapper;
using Npgsql;

namespace Baoming.Chat;

/// <summary>What a member may do. Ordered: each role can do everything the ones below it can.</summary>
public enum Role
{
    Reader = 0,
    Organizer = 1,
    Admin = 2,
}

/// <summary>
/// A member's role: the configured ones (<c>Community:Admins</c>, <c>Community:Organizers</c>) and
/// the ones granted in chat, whichever is higher. Read on every command and every button press,
/// never cached, so a revoked organizer loses the role at once.
/// </summary>
public sealed class RoleService(NpgsqlDataSource dataSource, IOptionsMonitor<CommunityOptions> community)
{
    public Role ConfiguredRole(long memberId)
    {
        var options = community.CurrentValue;
        return options.Admins.Contains(memberId) ? Role.Admin
            : options.Organizers.Contains(memberId) ? Role.Organizer
            : Role.Reader;
    }

    public async Task<Role> GetRoleAsync(long memberId, CancellationToken cancellationToken)
    {
        var configured = ConfiguredRole(memberId);
        if (configured == Role.Admin)
        {
            return configured;
        }

        var granted = await GetGrantedRoleAsync(memberId, cancellationToken);
        return (Role)Math.Max((int)configured, (int)granted);
    }

    public async Task<Role> GetGrantedRoleAsync(long memberId, CancellationToken cancellationToken)
    {
        const string Sql = "select role from member_roles where member_id = @memberId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var role = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Sql, new { memberId }, cancellationToken: cancellationToken));
        return role switch
        {
            "admin" => Role.Admin,
            "organizer" => Role.Organizer,
            _ => Role.Reader,
        };
    }

    /// <summary>Grants <paramref name="role"/> in the database and writes the audit entry in the same transaction.</summary>
    public async Task GrantAsync(long memberId, Role role, long grantedBy, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into member_roles (member_id, role, granted_by) values (@memberId, @role, @grantedBy)
            on conflict (member_id) do update set role = excluded.role, granted_by = excluded.granted_by, granted_at = now();
            insert into audit_log (actor_id, action, details)
            values (@grantedBy, 'grant', jsonb_build_object('member_id', @memberId, 'role', @role));
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, role = role.ToString().ToLowerInvariant(), grantedBy }, cancellationToken: cancellationToken));
    }

    /// <summary>Removes a granted role (configured roles live in configuration); false when there was none.</summary>
    public async Task<bool> RevokeAsync(long memberId, long revokedBy, CancellationToken cancellationToken)
    {
        const string Sql = """
            with removed as (delete from member_roles where member_id = @memberId returning role)
            insert into audit_log (actor_id, action, details)
            select @revokedBy, 'revoke', jsonb_build_object('member_id', @memberId, 'role', role) from removed
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var audited = await connection.QueryAsync<long>(new CommandDefinition(Sql, new { memberId, revokedBy }, cancellationToken: cancellationToken));
        return audited.Any();
    }
}
