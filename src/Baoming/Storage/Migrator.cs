using System.Reflection;
using Dapper;
using Npgsql;

namespace Baoming.Storage;

/// <summary>
/// Applies the embedded, ordered <c>Storage/Migrations/NNNN_name.sql</c> files that have not run yet,
/// each in its own transaction. An advisory lock lets several instances start at once safely.
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private readonly StartupTimeline? timeline;

    /// <summary>The host's migrator: the connection's and the migrations' times go into the start-up timeline.</summary>
    public Migrator(NpgsqlDataSource dataSource, StartupTimeline timeline, ILogger<Migrator> logger)
        : this(dataSource, logger) => this.timeline = timeline;

    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var begun = StartupTimeline.Begin();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        timeline?.Step("database-connection", begun);
        begun = StartupTimeline.Begin();
        var newlyApplied = await AdvisoryLocks.HoldingAsync(connection, AdvisoryLocks.Migrations, async cancellationToken =>
        {
            const string CreateHistory = """
                create table if not exists schema_migrations (
                    version     text primary key,
                    applied_at  timestamptz not null default now()
                )
                """;
            await connection.ExecuteAsync(new CommandDefinition(CreateHistory, cancellationToken: cancellationToken));

            var applied = (await connection.QueryAsync<string>(
                new CommandDefinition("select version from schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

            var count = 0;
            foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into schema_migrations (version) values (@version)", new { version }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                LogApplied(version);
                count++;
            }

            return count;
        }, cancellationToken);
        timeline?.Step("migrations", begun);
        return newlyApplied;
    }

    private static List<(string Version, string Sql)> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string Prefix = "Baoming.Storage.Migrations.";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (name[Prefix.Length..^".sql".Length], Read(assembly, name)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied database migration {Version}")]
    private partial void LogApplied(string version);
}
