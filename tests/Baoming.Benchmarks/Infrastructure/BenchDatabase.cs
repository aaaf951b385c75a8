using System.Diagnostics;
using Baoming.Benchmarks.Scenarios;
using Baoming.Storage.Embedded;
using Dapper;
using Npgsql;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>A database of its own per run, on the benchmark's cluster, and the seeding the fan-out scenarios share.</summary>
internal static class BenchDatabase
{
    /// <summary>The first seeded registrant's id (and chat id); the rest follow consecutively.</summary>
    public const long FirstChatId = 5_000_000_000;

    /// <summary>Drops <paramref name="name"/> if a failed run left it, creates it empty and returns its connection string.</summary>
    public static async Task<string> CreateAsync(EmbeddedPostgres cluster, string name, CancellationToken ct)
    {
        await DropAsync(cluster, name, ct);
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"create database {name}", cancellationToken: ct));
        return cluster.AdminConnectionString(name);
    }

    public static async Task DropAsync(EmbeddedPostgres cluster, string name, CancellationToken ct)
    {
        // Pooled connections of the run would hold the database open.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"drop database if exists {name} with (force)", cancellationToken: ct));
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, cancellationToken: ct)))!;
    }

    /// <summary>The delivery ledger holds exactly <paramref name="expected"/> rows for topics of <paramref name="kind"/> ("reminder", "broadcast"), all sent.</summary>
    public static async Task VerifyLedgerAsync(string connectionString, string kind, int expected, CancellationToken ct)
    {
        const string Sql = """
            select count(*) filter (where state = 'sent') as Sent, count(*) as Rows from deliveries where topic like @kind || ':%'
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        var (sent, rows) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(Sql, new { kind }, cancellationToken: ct));
        if (sent != expected || rows != expected)
        {
            throw new BenchmarkFailedException($"Ledger: expected {expected} {kind} rows, all sent; found {rows} rows, {sent} sent.");
        }
    }

    /// <summary>
    /// <paramref name="count"/> members from <paramref name="firstId"/> on, each with a confirmed registration for
    /// the configured session <paramref name="sessionKey"/>, whose counter is kept in step; statistics fresh.
    /// </summary>
    public static async Task SeedRegistrantsAsync(string connectionString, string sessionKey, long firstId, int count, CancellationToken ct)
    {
        const string Sql = """
            insert into members (id, display_name, language_code)
            select @first + g, '读者' || g, case when g % 5 = 0 then 'en' else 'zh-hans' end from generate_series(0, @n - 1) g;
            insert into registrations (session_id, member_id, status, registered_at)
            select s.id, @first + g, 'confirmed', now() - interval '1 minute'
              from generate_series(0, @n - 1) g, sessions s where s.key = @key;
            update sessions set confirmed_count = @n, waitlisted_count = 0 where key = @key;
            """;
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { first = firstId, n = count, key = sessionKey }, commandTimeout: 300, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("vacuum analyze", commandTimeout: 300, cancellationToken: ct));
        BenchContext.Progress($"seeded {count} members and registrations for {sessionKey} in {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
