using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Tests.Infrastructure;

/// <summary>
/// PostgreSQL for integration tests: a fresh database per test on one throwaway cluster per test process
/// (the same code as Baoming's embedded default), or on the server in <c>BAOMING_TEST_POSTGRES</c> when set.
/// Without PostgreSQL the tests fail with the reason; they never skip.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "BAOMING_TEST_POSTGRES";

    private const string FolderPrefix = "baoming-tests-";

    private static readonly Lazy<Task<string>> SharedAdminConnectionString = new(StartSharedAsync);
    private static readonly ConcurrentQueue<string> ExternalDatabases = new();

    static TestPostgres()
    {
        StartJanitor(Environment.ProcessId);
        RemoveLeftoversOfDeadTestRuns();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropExternalDatabases();
    }

    /// <summary>Connection string of a brand-new empty database with a unique name.</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        // The shared start is not tied to the first caller's token: every test waits for the same cluster.
        var admin = await SharedAdminConnectionString.Value.WaitAsync(ct);
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 })
        {
            ExternalDatabases.Enqueue(name);
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// A cluster of the test's own, for tests that stop and restart the server (see <see cref="RestartAsync"/>).
    /// The returned connection string points at its <c>baoming</c> database and stays valid across restarts.
    /// </summary>
    public static async Task<(string ConnectionString, EmbeddedPostgres Server)> StartDedicatedAsync(CancellationToken ct = default)
    {
        var server = await StartThrowawayAsync(NewThrowawayOptions(), ct);
        return (server.ConnectionString, server);
    }

    /// <summary>Starts a stopped dedicated cluster again on the same data folder and the same port.</summary>
    public static Task<EmbeddedPostgres> RestartAsync(EmbeddedPostgres stopped, CancellationToken ct = default) =>
        StartThrowawayAsync(
            new EmbeddedPostgresOptions { DataDirectory = stopped.DataDirectory, Port = stopped.Port, IsDurable = false },
            ct);

    /// <summary>Options for a non-durable cluster in a new, empty temp folder that is removed when the test process exits.</summary>
    public static EmbeddedPostgresOptions NewThrowawayOptions()
    {
        var folder = Path.Combine(
            Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        return new EmbeddedPostgresOptions { DataDirectory = folder, IsDurable = false };
    }

    private static Task<EmbeddedPostgres> StartThrowawayAsync(EmbeddedPostgresOptions options, CancellationToken ct) =>
        EmbeddedPostgres.StartAsync(options, NullLogger.Instance, ct);

    private static async Task<string> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            await using var connection = new NpgsqlConnection(external);
            try
            {
                await connection.OpenAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
            {
                throw new InvalidOperationException(
                    $"Integration tests cannot reach the PostgreSQL server in {EnvironmentVariable}: {ex.Message}", ex);
            }

            return external;
        }

        try
        {
            var server = await StartThrowawayAsync(NewThrowawayOptions(), CancellationToken.None);
            return server.AdminConnectionString();
        }
        catch (EmbeddedPostgresException ex)
        {
            throw new InvalidOperationException(
                $"Integration tests need PostgreSQL and could not start a throwaway cluster: {ex.Message} (Or set {EnvironmentVariable} to a connection string of a server where the tests may create databases.)",
                ex);
        }
    }

    private static void DropExternalDatabases()
    {
        if (ExternalDatabases.IsEmpty || Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } external)
        {
            return;
        }

        try
        {
            using var connection = new NpgsqlConnection(external);
            connection.Open();
            while (ExternalDatabases.TryDequeue(out var name))
            {
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: the names are unique, so leftovers never disturb later runs.
        }
    }

    /// <summary>
    /// Removes this process's clusters once it has exited. Not done in ProcessExit: the test runner kills the
    /// test host shortly after the last test, before pg_ctl stop and the deletes could finish. A detached shell
    /// outlives the host, shuts the servers down (SIGQUIT: immediate, and PostgreSQL still frees its shared
    /// memory) and deletes the folders.
    /// </summary>
    private static void StartJanitor(int testProcessId)
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            for folder in "$2"*; do
              [ -d "$folder" ] || continue
              pid=$(head -n 1 "$folder/pgdata/postmaster.pid" 2>/dev/null)
              if [ -n "$pid" ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = postgres ]; then
                kill -QUIT "$pid"
                i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
              fi
              rm -rf "$folder"
            done
            """;
        var folderPrefix = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{testProcessId}-");
        // setsid -f: a new session outside the host's process tree, so killing the host's tree spares it.
        var startInfo = new ProcessStartInfo("setsid", ["-f", "sh", "-c", Script, "sh", testProcessId.ToString(), folderPrefix])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var janitor = Process.Start(startInfo);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("Integration tests need setsid and sh (util-linux, dash) to clean up their PostgreSQL clusters.", ex);
        }
    }

    /// <summary>Clusters of test runs whose janitor never ran (e.g. the machine was reset).</summary>
    private static void RemoveLeftoversOfDeadTestRuns()
    {
        var deadOwners = Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*")
            .Select(folder => int.TryParse(Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0], out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            .Distinct();
        foreach (var owner in deadOwners)
        {
            StartJanitor(owner);
        }
    }
}
