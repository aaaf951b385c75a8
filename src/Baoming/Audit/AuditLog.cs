using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Baoming.Audit;

/// <summary>The audit trail of organizer and admin actions.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public const string InsertSql = "insert into audit_log (actor_id, action, details) values (@actorId, @action, @details::jsonb)";

    /// <summary>The PostgreSQL setting that <c>audit_log.os_user</c> defaults to (migration 0011).</summary>
    public const string OsUserSetting = "baoming.os_user";

    public async Task WriteAsync(long actorId, string action, object details, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql, new { actorId, action, details = JsonSerializer.Serialize(details) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// <paramref name="connectionString"/> with <see cref="OsUserSetting"/> set on every connection, so each
    /// audit entry written through it (by this class or any other code) names <paramref name="osUser"/>.
    /// The shell's actor is a made-up member id; this says who was at the terminal.
    /// </summary>
    public static string AttributedTo(string connectionString, string osUser)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var option = $"-c {OsUserSetting}={EscapeOption(osUser)}";
        builder.Options = string.IsNullOrEmpty(builder.Options) ? option : builder.Options + " " + option;
        return builder.ConnectionString;
    }

    /// <summary>PostgreSQL splits startup options at white space; a backslash keeps the next character.</summary>
    private static string EscapeOption(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == '\\' || char.IsWhiteSpace(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
