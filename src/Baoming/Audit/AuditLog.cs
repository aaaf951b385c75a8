using System.Text.Json;
using Dapper;
using Npgsql;

namespace Baoming.Audit;

/// <summary>The audit trail of organizer and admin actions.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public const string InsertSql = "insert into audit_log (actor_id, action, details) values (@actorId, @action, @details::jsonb)";

    public async Task WriteAsync(long actorId, string action, object details, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql, new { actorId, action, details = JsonSerializer.Serialize(details) }, cancellationToken: cancellationToken));
    }
}
