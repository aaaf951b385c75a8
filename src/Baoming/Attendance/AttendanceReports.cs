using System.Globalization;
using Baoming.Community;
using Baoming.Core.Replies;
using Baoming.Export;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Attendance;

/// <summary>"出席 37/50（74%）" under each session in <c>/sessions</c> once it has started: attended of those confirmed.</summary>
public sealed class AttendanceFacts(AttendanceStore store, TimeProvider time) : ISessionFacts
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rates = await store.ShowRatesAsync(sessionIds, time.GetUtcNow(), cancellationToken);
        return rates.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)[texts.ShowRate(r.Value.Attended, r.Value.Confirmed)]);
    }
}

/// <summary>
/// <c>attendance</c> (attended | no_show | cancelled | waitlisted | upcoming), <c>attended_at</c> (community time,
/// like the other time columns), <c>attended_via</c> (link | button | import) and <c>link_clicked_at</c>. Only in
/// exports with a session that has started: before that every row would say "upcoming" and nothing else.
/// A confirmed registration is a no-show once its session has ended without an attendance; every registration
/// of a cancelled session counts as cancelled.
/// </summary>
public sealed class AttendanceExportColumns(NpgsqlDataSource dataSource, IOptions<CommunityOptions> community, TimeProvider time) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string AnyStartedSql = "select exists (select from sessions where id = any(@sessionIds) and starts_at <= @now)";
        var now = time.GetUtcNow();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(AnyStartedSql, new { sessionIds = sessionIds.ToArray(), now = now.UtcDateTime }, cancellationToken: cancellationToken)))
            {
                return [];
            }
        }

        // Only our own values reach this SQL: the clock's instant and the validated IANA zone id (quotes doubled anyway).
        var nowLiteral = "'" + now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'::timestamptz";
        var zone = community.Value.TimeZone.Replace("'", "''", StringComparison.Ordinal);
        string Local(string column) => $"to_char({column} at time zone '{zone}', 'YYYY-MM-DD HH24:MI:SS')";
        return
        [
            new("attendance", $"""
                case when r.status = 'cancelled' or s.cancelled_at is not null then 'cancelled'
                     when r.status = 'waitlisted' then 'waitlisted'
                     when r.attended_at is not null then 'attended'
                     when s.starts_at + make_interval(mins => s.duration_minutes) <= {nowLiteral} then 'no_show'
                     else 'upcoming' end
                """),
            new("attended_at", Local("r.attended_at")),
            new("attended_via", "r.attended_via"),
            new("link_clicked_at", Local("r.link_clicked_at")),
        ];
    }
}
