using Baoming.Core.Replies;
using Baoming.Export;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Series;

/// <summary>"系列：选题会" under each session of a series in <c>/sessions</c> and an export's caption.</summary>
public sealed class SeriesFacts(SeriesRepository series) : ISessionFacts
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return (await series.OfSessionsAsync(sessionIds, cancellationToken))
            .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[texts.SeriesFact(p.Value)]);
    }
}

/// <summary>
/// <c>series_follow</c>: whether the registrant follows the series of the session ("yes" / "no"), empty for a
/// session in no series. Only when some exported session is in a series, so other exports keep their columns.
/// </summary>
public sealed class SeriesExportColumns(NpgsqlDataSource dataSource) : IExportColumnSource
{
    public const string Column = "series_follow";

    private const string Expression = """
        case when s.series_id is null then ''
             when exists (select 1 from series_follows f where f.member_id = r.member_id and f.series_id = s.series_id) then 'yes'
             else 'no' end
        """;

    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select 1 from sessions where id = any(@sessionIds) and series_id is not null)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var any = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return any ? [new ExportExtraColumn(Column, Expression)] : [];
    }
}
