using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Baoming.Storage.Embedded;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Baoming.Tests.Storage;

// The embedded default drives initdb/pg_ctl and reads /proc: Linux (and the CI image) only.
[SupportedOSPlatform("linux")]
public sealed class EmbeddedPostgresTests : IDisposable
{
    private const int InitialisingClusterEvent = 101;

    // A hung server fails the test instead of hanging the run.
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));

    private CancellationToken Ct => timeout.Token;

    public void Dispose() => timeout.Dispose();

    [Fact]
    public async Task I_can_start_a_new_cluster_and_query_it()
    {
        // Arrange
        var options = TestPostgres.NewThrowawayOptions();
        var logger = new RecordingLogger();

        // Act
        await using var server = await EmbeddedPostgres.StartAsync(options, logger, Ct);

        // Assert
        Assert.True(server.IsOwner);
        Assert.Equal(1, await QueryAsync<int>(server.ConnectionString, "SELECT 1"));
        Assert.Equal("baoming", await QueryAsync<string>(server.ConnectionString, "SELECT current_database()"));
        Assert.True(await QueryAsync<bool>(server.ConnectionString, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.Contains(InitialisingClusterEvent, logger.EventIds);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "pgdata", "PG_VERSION")));
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "server.log")));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(server.DataDirectory, "password")));
    }

    [Fact]
    public async Task A_second_start_reuses_the_cluster_and_keeps_its_data()
    {
        // Arrange
        var options = TestPostgres.NewThrowawayOptions();
        await using (var first = await EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
            await first.StopAsync(Ct);
        }

        var logger = new RecordingLogger();

        // Act
        await using var second = await EmbeddedPostgres.StartAsync(options, logger, Ct);

        // Assert
        Assert.True(second.IsOwner);
        Assert.Equal(42, await QueryAsync<int>(second.ConnectionString, "SELECT id FROM kept"));
        Assert.DoesNotContain(InitialisingClusterEvent, logger.EventIds);
    }

    [Fact]
    public async Task Disposing_stops_the_server_and_is_safe_to_repeat()
    {
        // Arrange
        var server = await EmbeddedPostgres.StartAsync(TestPostgres.NewThrowawayOptions(), new RecordingLogger(), Ct);
        var pidFile = Path.Combine(server.DataDirectory, "pgdata", "postmaster.pid");
        Assert.True(File.Exists(pidFile));

        // Act
        await server.DisposeAsync();
        await server.DisposeAsync();
        await server.StopAsync(Ct);

        // Assert
        Assert.False(File.Exists(pidFile));
        await Assert.ThrowsAnyAsync<NpgsqlException>(
            () => QueryAsync<int>(NoPooling(server.ConnectionString), "SELECT 1"));
    }

    [Fact]
    public async Task A_second_start_while_the_first_runs_attaches_without_owning_the_server()
    {
        // Arrange
        var options = TestPostgres.NewThrowawayOptions();
        await using var first = await EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct);

        // Act
        var second = await EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct);
        var answer = await QueryAsync<int>(second.ConnectionString, "SELECT 1");
        await second.DisposeAsync();

        // Assert
        Assert.False(second.IsOwner);
        Assert.Equal(first.Port, second.Port);
        Assert.Equal(1, answer);
        Assert.Equal(1, await QueryAsync<int>(NoPooling(first.ConnectionString), "SELECT 1"));
    }

    [Fact]
    public async Task A_stale_pid_file_from_a_crash_does_not_stop_the_next_start()
    {
        // Arrange
        var options = TestPostgres.NewThrowawayOptions();
        var pidFile = Path.Combine(options.DataDirectory!, "pgdata", "postmaster.pid");
        string leftOver;
        await using (var crashed = await EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct))
        {
            leftOver = await File.ReadAllTextAsync(pidFile, Ct);
            await crashed.StopAsync(Ct);
        }

        // What a power cut leaves behind: the file of a server that is gone, still saying "ready".
        // (Gone means reaped too: PostgreSQL takes a zombie for a live server, as kill(pid, 0) succeeds.)
        var oldPid = leftOver.Split('\n')[0];
        while (Directory.Exists($"/proc/{oldPid}"))
        {
            await Task.Delay(20, Ct);
        }

        await File.WriteAllTextAsync(pidFile, leftOver, Ct);
        Assert.Contains("ready", leftOver);

        // Act
        await using var server = await EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct);

        // Assert
        Assert.True(server.IsOwner);
        Assert.Equal(1, await QueryAsync<int>(server.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_start_that_fails_says_why_with_the_end_of_the_server_log()
    {
        // Arrange: the configured port is taken.
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var options = TestPostgres.NewThrowawayOptions();
        options.Port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        // Act
        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(
            () => EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct));

        // Assert
        Assert.Contains("failed to start", error.Message);
        Assert.Contains("server.log", error.Message);
        Assert.Contains("Address already in use", error.Message);
    }

    [Fact]
    public async Task Missing_binaries_give_one_message_naming_the_package_to_install()
    {
        // Arrange
        var options = TestPostgres.NewThrowawayOptions();
        options.BinDirectory = Directory.CreateTempSubdirectory("baoming-no-binaries-").FullName;

        // Act
        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(
            () => EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct));

        // Assert
        Assert.Contains("initdb, pg_ctl", error.Message);
        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings:Postgres", error.Message);
        Directory.Delete(options.BinDirectory);
    }

    [Fact]
    public async Task An_unwritable_data_folder_gives_one_message_naming_the_folder_and_the_setting()
    {
        // Arrange: a folder under a file cannot be created, not even by root.
        var options = TestPostgres.NewThrowawayOptions();
        options.DataDirectory = "/etc/hostname/baoming";

        // Act
        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(
            () => EmbeddedPostgres.StartAsync(options, new RecordingLogger(), Ct));

        // Assert
        Assert.Contains("/etc/hostname/baoming", error.Message);
        Assert.Contains("EmbeddedPostgres:DataDirectory", error.Message);
    }

    [Fact]
    public async Task The_server_never_runs_as_root()
    {
        // Arrange
        await using var server = await EmbeddedPostgres.StartAsync(TestPostgres.NewThrowawayOptions(), new RecordingLogger(), Ct);
        var pidFile = Path.Combine(server.DataDirectory, "pgdata", "postmaster.pid");
        var postmasterPid = File.ReadLines(pidFile).First();

        // Act
        var serverUser = await RunAsync("ps", "-o", "user=", "-p", postmasterPid);
        var clusterOwner = await RunAsync("stat", "-c", "%U", Path.Combine(server.DataDirectory, "pgdata"));

        // Assert
        Assert.NotEqual("root", serverUser);
        Assert.Equal(serverUser, clusterOwner);
        Assert.Equal(Environment.IsPrivilegedProcess ? "postgres" : Environment.UserName, serverUser);
        // Baoming itself still reads the password it generated.
        Assert.Equal(1, await QueryAsync<int>(server.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public void The_default_data_folder_is_reachable_by_the_server_user()
    {
        var folder = EmbeddedPostgres.DefaultDataDirectory();

        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal("/var/lib/baoming/postgres", folder);
        }
        else
        {
            Assert.EndsWith(Path.Combine("baoming", "postgres"), folder);
            Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), folder);
        }
    }

    [Fact]
    public async Task A_restarted_dedicated_cluster_comes_back_on_the_same_port_with_its_data()
    {
        // Arrange
        var (connectionString, server) = await TestPostgres.StartDedicatedAsync(Ct);
        await ExecuteAsync(connectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
        await server.StopAsync(Ct);

        // Act
        await using var restarted = await TestPostgres.RestartAsync(server, Ct);

        // Assert
        Assert.Equal(server.Port, restarted.Port);
        Assert.Equal(7, await QueryAsync<int>(NoPooling(connectionString), "SELECT id FROM kept"));
    }

    [Fact]
    public async Task Each_test_database_is_new_and_empty()
    {
        // Act
        var first = await TestPostgres.CreateDatabaseAsync(Ct);
        var second = await TestPostgres.CreateDatabaseAsync(Ct);

        // Assert
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        await ExecuteAsync(first, "CREATE TABLE only_here (id int)");
        const string CountTables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'";
        Assert.Equal(1L, await QueryAsync<long>(first, CountTables));
        Assert.Equal(0L, await QueryAsync<long>(second, CountTables));
    }

    private static string NoPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private async Task<T> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }

    /// <summary>Keeps the event ids logged, to see what a start did (e.g. whether it ran initdb).</summary>
    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<int> eventIds = new();

        public IEnumerable<int> EventIds => eventIds;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            eventIds.Enqueue(eventId.Id);
    }
}
