using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Baoming.Core;
using Baoming.Core.Export;
using Npgsql;

namespace Baoming.Export;

/// <summary>
/// Reads registrations for an export straight off the wire, one row at a time: an
/// <see cref="NpgsqlDataReader"/> in sequential access, never a list, so memory does not grow with
/// the number of registrations.
/// </summary>
public sealed class ExportReader(NpgsqlDataSource dataSource, IEnumerable<IExportColumnSource> columnSources)
{
    /// <summary>
    /// One row per registration, in <see cref="ExportColumns.Standard"/> order, then any extra columns.
    /// Ordered by session (start, id), then status (confirmed, waitlisted, cancelled), then waitlist
    /// order, then sign-up time. The window and the ORDER BY share their sort keys, so PostgreSQL sorts
    /// once. The same statement is the benchmark baseline for <c>psql \copy</c>.
    /// </summary>
    public const string RowsSql = """
        select s.key, s.title, r.status,
               case when r.status = 'waitlisted' then row_number() over queue end as waitlist_position,
               r.registered_at, r.cancelled_at,
               m.id, m.username, m.display_name, m.language_code,
               m.unreachable_at is null as reachable/*extra*/
        from registrations r
        join sessions s on s.id = r.session_id
        join members m on m.id = r.member_id
        where r.session_id = any(@sessionIds)
        window queue as (partition by s.starts_at, s.id, array_position(array['confirmed', 'waitlisted', 'cancelled'], r.status)
                         order by r.waitlist_seq, r.registered_at, r.id)
        order by s.starts_at, s.id, array_position(array['confirmed', 'waitlisted', 'cancelled'], r.status),
                 r.waitlist_seq, r.registered_at, r.id
        """;

    private const int StandardCount = 11;

    /// <summary>The extra columns every registered <see cref="IExportColumnSource"/> adds for these sessions.</summary>
    public async Task<IReadOnlyList<ExportExtraColumn>> ExtraColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        var columns = new List<ExportExtraColumn>();
        foreach (var source in columnSources)
        {
            columns.AddRange(await source.GetColumnsAsync(sessionIds, cancellationToken));
        }

        return columns;
    }

    public async IAsyncEnumerable<ExportRow> ReadAsync(
        IReadOnlyList<long> sessionIds, IReadOnlyList<ExportExtraColumn> extra, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = RowsSql.Replace("/*extra*/", string.Concat(extra.Select((c, i) => $",\n       ({c.SqlExpression}) as extra_{i}")), StringComparison.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("sessionIds", sessionIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new ExportRow
            {
                SessionKey = reader.GetString(0),
                SessionTitle = reader.GetString(1),
                Status = Signup.RegistrationStore.ParseStatus(reader.GetString(2)),
                WaitlistPosition = reader.IsDBNull(3) ? null : reader.GetInt64(3),
                RegisteredAt = reader.GetFieldValue<DateTimeOffset>(4),
                CancelledAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                TelegramUserId = reader.GetInt64(6),
                Username = reader.IsDBNull(7) ? null : reader.GetString(7),
                DisplayName = reader.GetString(8),
                LanguageCode = reader.IsDBNull(9) ? null : reader.GetString(9),
                IsReachable = reader.GetBoolean(10),
                Extra = extra.Count == 0 ? [] : ReadExtra(reader, extra.Count),
            };
            yield return row;
        }
    }

    private static string?[] ReadExtra(NpgsqlDataReader reader, int count)
    {
        var values = new string?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.IsDBNull(StandardCount + i) ? null : Convert.ToString(reader.GetValue(StandardCount + i), CultureInfo.InvariantCulture);
        }

        return values;
    }
}
