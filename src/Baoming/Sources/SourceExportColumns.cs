using Baoming.Export;
using Dapper;
using Npgsql;

namespace Baoming.Sources;

/// <summary>
/// <c>source</c>: where each registration came from (the deep link's source, e.g. "wx36kr" from
/// <c>?start=metaverse-wx36kr</c>), empty when none. Only when some exported registration has one, so an
/// export of sessions nobody reached by a tagged link keeps its columns.
/// </summary>
public sealed class SourceExportColumns(NpgsqlDataSource dataSource) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select 1 from registrations where session_id = any(@sessionIds) and source is not null)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var any = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { sessionIds = sessionIds.ToArray() }, cancellationToken: cancellationToken));
        return any ? [new ExportExtraColumn("source", "r.source")] : [];
    }
}
