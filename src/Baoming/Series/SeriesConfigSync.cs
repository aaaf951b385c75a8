using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Series;

/// <summary>
/// The top-level <c>Series</c> configuration, upserted by key after each start-up sync of the sessions, and
/// <c>Sessions:N:Series</c>, which puts each configured session in its series (or in none). The configuration
/// wins at every start, as for a session's other fields; series made in the chat (<c>/newseries</c>) stay.
/// A change of a session's series is recorded by the trigger, and its invitation follows.
/// </summary>
public sealed class SeriesConfigSync(NpgsqlDataSource dataSource, IOptions<SeriesCatalogOptions> options) : ISessionConfigHook
{
    public async Task SyncedAsync(IReadOnlyList<(long SessionId, SessionConfig Config)> sessions, CancellationToken cancellationToken)
    {
        const string UpsertSql = """
            insert into series (key, title, aliases) values (@Key, @Title, @Aliases)
            on conflict (key) do update set title = excluded.title, aliases = excluded.aliases
             where (series.title, series.aliases) is distinct from (excluded.title, excluded.aliases)
            """;
        // Only a real change is written: an unchanged series_id would still count as an update of the row.
        const string AssignSql = """
            update sessions s set series_id = x.id
              from (select @sessionId as session_id, (select id from series where key = @key) as id) x
             where s.id = x.session_id and s.series_id is distinct from x.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var series in options.Value.Series)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                UpsertSql, new { series.Key, Title = series.Title.Trim(), Aliases = series.Aliases.Select(a => a.Trim()).Where(a => a.Length > 0).ToArray() }, transaction, cancellationToken: cancellationToken));
        }

        foreach (var (sessionId, config) in sessions)
        {
            await connection.ExecuteAsync(new CommandDefinition(AssignSql, new { sessionId, key = config.Series }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// Stops start-up when a session names a series the configuration does not define, with one line naming both
/// keys: <c>Sessions:N:Series</c> must be the <c>Key</c> of an entry of the top-level <c>Series</c>.
/// </summary>
public sealed class SeriesReferenceValidator(IOptions<SeriesCatalogOptions> series) : IValidateOptions<SessionCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = series.Value.Series.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var problems = options.Sessions
            .Select((s, i) => s.Series is { Length: > 0 } key && !keys.Contains(key)
                ? $"Sessions:{i}:Series is '{key}', which is not the Key of any entry of Series."
                : null)
            .OfType<string>()
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
