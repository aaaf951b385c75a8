using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Baoming.Storage.Embedded;

/// <summary>
/// A private PostgreSQL cluster in a folder Baoming owns (<c>pgdata/</c>, <c>password</c>, <c>server.log</c>):
/// created with initdb on first use, started with pg_ctl on 127.0.0.1 and a free port, reused afterwards.
/// Used when <c>ConnectionStrings:Postgres</c> is empty, and by the integration tests for throwaway clusters.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "baoming";
    private const string Database = "baoming";
    private const long ServerLogRotateBytes = 10 * 1024 * 1024;
    private const int StartTimeoutSeconds = 30;

    private static readonly TimeSpan InitdbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(StartTimeoutSeconds + 15);

    private readonly PostgresBinaries binaries;
    private readonly ILogger logger;
    private readonly string password;
    private readonly Lock gate = new();
    private Task? stopTask;

    private EmbeddedPostgres(
        PostgresBinaries binaries, ILogger logger, string dataDirectory, int port, string password, bool isOwner)
    {
        this.binaries = binaries;
        this.logger = logger;
        this.password = password;
        DataDirectory = dataDirectory;
        Port = port;
        IsOwner = isOwner;
        ConnectionString = AdminConnectionString(Database);
    }

    /// <summary>Connection string to the database <c>baoming</c> as the cluster's superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>The folder holding <c>pgdata/</c>, <c>password</c> and <c>server.log</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>The TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    /// <summary><see langword="true"/> when this instance started the server, and so stopping or disposing it stops the server.</summary>
    public bool IsOwner { get; }

    private string ClusterDirectory => Path.Combine(DataDirectory, "pgdata");

    /// <summary>
    /// Starts the cluster in <see cref="EmbeddedPostgresOptions.DataDirectory"/>, initialising it on first use,
    /// or attaches to the server already running there (then <see cref="IsOwner"/> is <see langword="false"/>).
    /// </summary>
    /// <exception cref="EmbeddedPostgresException">The cluster cannot be used; the message says why and what to do.</exception>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        var started = Stopwatch.StartNew();
        var binaries = PostgresBinaries.Locate(options);
        logger.UsingBinaries(binaries.BinDirectory);
        if (binaries.RunAsUser is { } runAsUser)
        {
            logger.RunningAsUser(runAsUser);
        }

        var dataDirectory = ResolveDataDirectory(options.DataDirectory);
        var layout = new Layout(dataDirectory);
        CreateDataDirectory(dataDirectory);

        // Two Baoming processes starting on the same folder at once must not both run initdb or pg_ctl start.
        using var startLock = await AcquireStartLockAsync(layout, logger, ct);

        if (await FindRunningServerAsync(layout, ct) is { } running)
        {
            var attached = new EmbeddedPostgres(
                binaries, logger, dataDirectory, running.Port, ReadPassword(layout), isOwner: false);
            await attached.VerifyAttachedAsync(running, ct);
            logger.AttachedToRunningServer(dataDirectory, running.ProcessId, running.Port);
            await attached.EnsureDatabaseAsync(ct);
            return attached;
        }

        string password;
        if (File.Exists(Path.Combine(layout.ClusterDirectory, "PG_VERSION")))
        {
            password = ReadPassword(layout);
        }
        else
        {
            password = ReadOrCreatePassword(layout);
            await InitialiseAsync(binaries, layout, options, logger, ct);
        }

        var port = await StartServerAsync(binaries, layout, options, logger, ct);
        var server = new EmbeddedPostgres(binaries, logger, dataDirectory, port, password, isOwner: true);
        await server.EnsureDatabaseAsync(ct);
        logger.StartedServer(port, started.ElapsedMilliseconds, dataDirectory);
        return server;
    }

    /// <summary>Connection string to <paramref name="database"/> as the cluster's superuser.</summary>
    public string AdminConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = Port,
            Username = SuperUser,
            Password = password,
            Database = database,
        }.ConnectionString;

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>) if this instance started it; safe to call more than once.</summary>
    public Task StopAsync(CancellationToken ct)
    {
        if (!IsOwner)
        {
            return Task.CompletedTask;
        }

        lock (gate)
        {
            // The stop itself is not cancelled with the first caller's token: a half-done stop helps no one.
            stopTask ??= StopCoreAsync();
        }

        return stopTask.WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        catch (EmbeddedPostgresException)
        {
            // Already logged by StopCoreAsync; disposing must not throw.
        }
    }

    private async Task StopCoreAsync()
    {
        logger.StoppingServer();
        var stopwatch = Stopwatch.StartNew();
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        var postmaster = RunningServer.Read(pidFile)?.ProcessId;
        ProcessResult? result;
        try
        {
            var pgCtl = binaries.RunAsync(
                "pg_ctl",
                ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", StartTimeoutSeconds.ToString(), "-s"],
                DataDirectory,
                PgCtlTimeout,
                CancellationToken.None);
            // The server removes its pid file as the very last step of shutting down, after closing its port.
            result = await FinishEarlyAsync(
                pgCtl,
                () => !File.Exists(pidFile) && (postmaster is not { } pid || !IsPostgresProcess(pid)),
                CancellationToken.None);
        }
        catch (TimeoutException ex)
        {
            logger.StopFailed(ex, DataDirectory);
            throw new EmbeddedPostgresException($"PostgreSQL in {ClusterDirectory} did not stop: {ex.Message}", ex);
        }

        // Someone else stopped it already (pg_ctl says "PID file does not exist"): that is a stopped server too.
        if (result is { Succeeded: false } && File.Exists(pidFile))
        {
            var failure = new EmbeddedPostgresException(
                $"pg_ctl could not stop PostgreSQL in {ClusterDirectory} (exit code {result.ExitCode}): {result.Output}");
            logger.StopFailed(failure, DataDirectory);
            throw failure;
        }

        logger.StoppedServer(stopwatch.ElapsedMilliseconds);
    }

    private static string ResolveDataDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = configured.Trim();
            if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            {
                path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify) + path[1..];
            }

            return Path.GetFullPath(path);
        }

        return DefaultDataDirectory();
    }

    /// <summary>Where the cluster lives when <see cref="EmbeddedPostgresOptions.DataDirectory"/> is not set.</summary>
    internal static string DefaultDataDirectory()
    {
        if (Environment.IsPrivilegedProcess)
        {
            // The server runs as an unprivileged user, which cannot enter /root.
            return "/var/lib/baoming/postgres";
        }

        // $XDG_DATA_HOME, or ~/.local/share when it is not set.
        var userData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(userData)
            ? throw new EmbeddedPostgresException(
                "Cannot find a folder for the embedded PostgreSQL data because neither HOME nor XDG_DATA_HOME is set; set EmbeddedPostgres:DataDirectory or ConnectionStrings:Postgres.")
            : Path.Combine(userData, "baoming", "postgres");
    }

    /// <summary>
    /// Creates the data folder (private to its owner) and any missing parents (open to traverse, so the
    /// unprivileged server user can reach the folder when Baoming runs as root).
    /// </summary>
    private static void CreateDataDirectory(string dataDirectory)
    {
        const UnixFileMode traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode privateToOwner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        var missing = new Stack<string>();
        try
        {
            for (var directory = dataDirectory; directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
            {
                missing.Push(directory);
            }

            while (missing.TryPop(out var directory))
            {
                Directory.CreateDirectory(directory);
                if (!OperatingSystem.IsWindows())
                {
                    // Set explicitly: the process umask may be stricter than the mode we ask for.
                    File.SetUnixFileMode(directory, directory == dataDirectory ? privateToOwner : traversable);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(dataDirectory, ex.Message, ex);
        }
    }

    private static EmbeddedPostgresException Unwritable(string dataDirectory, string reason, Exception? inner = null)
    {
        var message = $"The embedded PostgreSQL data folder {dataDirectory} cannot be created or written ({reason.TrimEnd('.')}); choose a writable folder with EmbeddedPostgres:DataDirectory, or set ConnectionStrings:Postgres.";
        return inner is null ? new EmbeddedPostgresException(message) : new EmbeddedPostgresException(message, inner);
    }

    private static async Task<FileStream> AcquireStartLockAsync(Layout layout, ILogger logger, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var hasLogged = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an flock(2) lock on Unix, which the OS releases if we crash.
                return new FileStream(layout.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Unwritable(layout.DataDirectory, ex.Message, ex);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(StartTimeoutSeconds * 2))
            {
                if (!hasLogged)
                {
                    logger.WaitingForStartLock(layout.DataDirectory);
                    hasLogged = true;
                }

                await Task.Delay(50, ct);
            }
            catch (IOException ex)
            {
                throw new EmbeddedPostgresException(
                    $"Another process kept {layout.LockFile} locked for over {StartTimeoutSeconds * 2} seconds while starting PostgreSQL; stop it or choose another EmbeddedPostgres:DataDirectory.",
                    ex);
            }
        }
    }

    /// <summary>
    /// The server recorded in <c>postmaster.pid</c>, if it is alive: what <c>pg_ctl status</c> does, without starting a process.
    /// Waits while that server is still starting or stopping.
    /// </summary>
    private static async Task<RunningServer?> FindRunningServerAsync(Layout layout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var server = RunningServer.Read(layout.PidFile);
            if (server is null || !server.IsAlive())
            {
                // No server, or a stale file from a crash, which PostgreSQL itself clears on start.
                return null;
            }

            if (server.Status == "stopping" && deadline.Elapsed > TimeSpan.FromSeconds(StartTimeoutSeconds))
            {
                throw new EmbeddedPostgresException(
                    $"PostgreSQL on {layout.ClusterDirectory} (pid {server.ProcessId}) has been shutting down for over {StartTimeoutSeconds} seconds; wait for it to exit or stop it, then start again.");
            }

            // "starting" or "stopping": wait for it to settle (another Baoming may be mid-start or mid-stop).
            if (server.Status is not ("starting" or "stopping") || deadline.Elapsed > TimeSpan.FromSeconds(StartTimeoutSeconds))
            {
                return server;
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task VerifyAttachedAsync(RunningServer running, CancellationToken ct)
    {
        try
        {
            await using var dataSource = OneOffDataSource("postgres");
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
            var dataDirectory = (string?)await command.ExecuteScalarAsync(ct);
            if (dataDirectory != running.DataDirectory)
            {
                throw new EmbeddedPostgresException(
                    $"Port {running.Port} from {ClusterDirectory}/postmaster.pid belongs to another PostgreSQL (data in {dataDirectory}); if no PostgreSQL runs on {ClusterDirectory}, remove its postmaster.pid and start again.");
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException)
        {
            throw new EmbeddedPostgresException(
                $"PostgreSQL is already running on {ClusterDirectory} (pid {running.ProcessId}) but Baoming cannot connect to it on 127.0.0.1:{running.Port} ({ex.Message}); stop it with `pg_ctl stop -D {ClusterDirectory}` and start again.",
                ex);
        }
    }

    private static string ReadPassword(Layout layout)
    {
        try
        {
            return File.ReadAllText(layout.PasswordFile).Trim();
        }
        catch (FileNotFoundException ex)
        {
            throw new EmbeddedPostgresException(
                $"The cluster in {layout.ClusterDirectory} exists but its password file {layout.PasswordFile} is missing; restore it, or delete {layout.DataDirectory} to start with an empty database.",
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(layout.DataDirectory, ex.Message, ex);
        }
    }

    private static string ReadOrCreatePassword(Layout layout)
    {
        if (File.Exists(layout.PasswordFile))
        {
            return ReadPassword(layout);
        }

        var password = RandomNumberGenerator.GetHexString(40, lowercase: true);
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(layout.PasswordFile, fileOptions);
            using var writer = new StreamWriter(file);
            writer.Write(password + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(layout.DataDirectory, ex.Message, ex);
        }

        return password;
    }

    private static async Task InitialiseAsync(
        PostgresBinaries binaries, Layout layout, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        logger.InitialisingCluster(layout.ClusterDirectory);
        var stopwatch = Stopwatch.StartNew();

        if (binaries.RunAsUser is { } user)
        {
            // Root: the server user must own the whole folder (it writes server.log next to pgdata and reads the
            // password file during initdb). Root itself can still read everything.
            var chown = await PostgresBinaries.RunProcessAsync(
                new ProcessStartInfo("chown", ["-R", user + ":", layout.DataDirectory]), TimeSpan.FromSeconds(30), ct);
            if (!chown.Succeeded)
            {
                throw Unwritable(layout.DataDirectory, $"chown to {user} failed: {chown.Output}");
            }
        }

        List<string> arguments =
        [
            "-D", layout.ClusterDirectory,
            "-U", SuperUser,
            "--auth=scram-sha-256",
            "--pwfile=" + layout.PasswordFile,
            "-E", "UTF8",
            // C.UTF-8 gives Unicode-aware upper/lower with byte-order sorting; not every system has it.
            HasCUtf8Locale() ? "--locale=C.UTF-8" : "--no-locale",
        ];
        if (!options.IsDurable)
        {
            arguments.Add("--no-sync");
        }

        var result = await RunOrTimeOutAsync(binaries, "initdb", arguments, layout, InitdbTimeout, ct);
        if (!result.Succeeded)
        {
            if (result.Output.Contains("Permission denied", StringComparison.Ordinal))
            {
                throw Unwritable(
                    layout.DataDirectory,
                    $"initdb running as {binaries.RunAsUser ?? Environment.UserName} was denied access; a parent folder may be closed to that user");
            }

            throw new EmbeddedPostgresException(
                $"initdb could not create the PostgreSQL cluster in {layout.ClusterDirectory} (exit code {result.ExitCode}); fix the cause below or choose another EmbeddedPostgres:DataDirectory.\n{result.Output}");
        }

        logger.InitialisedCluster(stopwatch.ElapsedMilliseconds);
    }

    private static bool HasCUtf8Locale() =>
        Directory.Exists("/usr/lib/locale/C.utf8") || Directory.Exists("/usr/lib/locale/C.UTF-8");

    /// <returns>The port the server listens on.</returns>
    private static async Task<int> StartServerAsync(
        PostgresBinaries binaries, Layout layout, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        RotateServerLog(layout, logger);
        // A crash leaves postmaster.pid saying "ready"; only a new file (new pid and start time) means our server is up.
        var stale = RunningServer.Read(layout.PidFile);
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port ?? FindFreePort();
            logger.StartingServer(port, options.IsDurable);
            // Only this attempt's part of the log tells why it failed.
            var logLength = File.Exists(layout.ServerLog) ? new FileInfo(layout.ServerLog).Length : 0;

            var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
            if (!options.IsDurable)
            {
                // Throwaway test clusters: speed over crash safety, and room for many parallel test databases' pools.
                settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=2000";
            }

            // Cancelling before the server is ready kills pg_ctl and, while pg_ctl lives, its child the server.
            // After we return, pg_ctl may still be finishing; the caller's token must no longer reach it.
            using var untilReady = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pgCtl = RunOrTimeOutAsync(
                binaries,
                "pg_ctl",
                ["start", "-D", layout.ClusterDirectory, "-w", "-t", StartTimeoutSeconds.ToString(), "-s", "-l", layout.ServerLog, "-o", settings],
                layout,
                PgCtlTimeout,
                untilReady.Token);
            var result = await FinishEarlyAsync(
                pgCtl,
                () => RunningServer.Read(layout.PidFile) is { Status: "ready" } server && server != stale && server.IsAlive(),
                ct);
            if (result is null || result.Succeeded)
            {
                return port;
            }

            var logTail = ReadLogSince(layout.ServerLog, logLength);
            // The free port we picked can be taken before the server binds it; pick another.
            if (options.Port is null && attempt < 3 && logTail.Contains("Address already in use", StringComparison.Ordinal))
            {
                logger.PortTaken(port);
                continue;
            }

            if (result.Output.Contains("did not start in time", StringComparison.Ordinal))
            {
                throw new EmbeddedPostgresException(
                    $"PostgreSQL in {layout.ClusterDirectory} did not become ready within {StartTimeoutSeconds} seconds; it may still be recovering, so check {layout.ServerLog} and try again.\n{logTail}");
            }

            var hint = logTail.Contains("lock file", StringComparison.Ordinal)
                ? $" If no PostgreSQL is running on this folder (check with `ps -C postgres -o pid,user,args`), remove {layout.PidFile} and start again."
                : options.Port is not null && logTail.Contains("Address already in use", StringComparison.Ordinal)
                    ? $" Port {port} (EmbeddedPostgres:Port) is used by another program; free it, or leave EmbeddedPostgres:Port unset to pick a free port."
                    : " See the end of the server log below.";
            throw new EmbeddedPostgresException(
                $"PostgreSQL in {layout.ClusterDirectory} failed to start (pg_ctl exit code {result.ExitCode}).{hint}\n{result.Output}\n--- {layout.ServerLog} ---\n{logTail}");
        }
    }

    /// <summary>
    /// Waits for <paramref name="pgCtl"/>, or only until <paramref name="isDone"/> sees the outcome it waits for:
    /// <c>pg_ctl -w</c> checks <c>postmaster.pid</c> only every 100 ms, which is most of a restart's time.
    /// </summary>
    /// <returns>pg_ctl's result, or <see langword="null"/> when the outcome came first (pg_ctl then ends by itself).</returns>
    private static async Task<ProcessResult?> FinishEarlyAsync(Task<ProcessResult> pgCtl, Func<bool> isDone, CancellationToken ct)
    {
        while (!pgCtl.IsCompleted && !ct.IsCancellationRequested)
        {
            if (isDone())
            {
                // Observe its outcome so a late failure is not an unobserved task exception.
                _ = pgCtl.ContinueWith(static task => task.Exception, TaskScheduler.Default);
                return null;
            }

            await Task.WhenAny(pgCtl, Task.Delay(5, ct));
        }

        return await pgCtl;
    }

    private static async Task<ProcessResult> RunOrTimeOutAsync(
        PostgresBinaries binaries, string program, IReadOnlyList<string> arguments, Layout layout, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await binaries.RunAsync(program, arguments, layout.DataDirectory, timeout, ct);
        }
        catch (TimeoutException ex)
        {
            throw new EmbeddedPostgresException(
                $"{ex.Message.TrimEnd('.')} for the cluster in {layout.ClusterDirectory}; check {layout.ServerLog} and try again.", ex);
        }
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void RotateServerLog(Layout layout, ILogger logger)
    {
        // pg_ctl -l appends forever; keep one previous file.
        var log = new FileInfo(layout.ServerLog);
        if (log.Exists && log.Length > ServerLogRotateBytes)
        {
            log.MoveTo(layout.ServerLog + ".1", overwrite: true);
            logger.RotatedServerLog(layout.ServerLog, (int)(ServerLogRotateBytes / 1024 / 1024));
        }
    }

    /// <summary>The last lines the server wrote to its log since it was <paramref name="offset"/> bytes long.</summary>
    private static string ReadLogSince(string path, long offset)
    {
        try
        {
            using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log.Seek(Math.Min(offset, log.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(log);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"({path} could not be read: {ex.Message})";
        }
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        await using var dataSource = OneOffDataSource("postgres");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = Database });
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                return;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync(ct);
            logger.CreatedDatabase(Database);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our CREATE.
        }
    }

    /// <summary>
    /// For our own short checks: no pool, so no idle connection stays behind, and no loading of the server's
    /// type catalog, which would make the first start visibly slower for two one-row queries.
    /// </summary>
    private NpgsqlDataSource OneOffDataSource(string database)
    {
        var builder = new NpgsqlSlimDataSourceBuilder(AdminConnectionString(database));
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConfigureTypeLoading(typeLoading => typeLoading.EnableTypeLoading(false));
        return builder.Build();
    }

    private sealed record Layout(string DataDirectory)
    {
        public string ClusterDirectory => Path.Combine(DataDirectory, "pgdata");

        public string PasswordFile => Path.Combine(DataDirectory, "password");

        public string ServerLog => Path.Combine(DataDirectory, "server.log");

        public string LockFile => Path.Combine(DataDirectory, "start.lock");

        public string PidFile => Path.Combine(ClusterDirectory, "postmaster.pid");
    }

    /// <summary>
    /// The lines of <c>postmaster.pid</c> (see PostgreSQL's src/include/utils/pidfile.h):
    /// 1 pid, 2 data directory, 3 start time, 4 port, 5 socket directory, 6 listen address, 7 shared memory key, 8 status.
    /// </summary>
    private sealed record RunningServer(int ProcessId, string DataDirectory, string StartTime, int Port, string Status)
    {
        public static RunningServer? Read(string pidFile)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(pidFile);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }

            if (lines.Length == 0 || !int.TryParse(lines[0], out var pid))
            {
                return null;
            }

            // A starting server writes the file in steps; until the status line is there it is "starting".
            var port = lines.Length >= 4 && int.TryParse(lines[3], out var parsed) ? parsed : 0;
            return new RunningServer(
                pid,
                lines.Length >= 2 ? lines[1] : "",
                lines.Length >= 3 ? lines[2] : "",
                port,
                lines.Length >= 8 ? lines[7].Trim() : "starting");
        }

        /// <summary>Alive and a PostgreSQL process (a pid from before a reboot may now be something else).</summary>
        public bool IsAlive() => IsPostgresProcess(ProcessId);
    }

    /// <summary>Reads /proc/PID/stat: "PID (COMM) STATE ..."; an exited process not yet reaped is a zombie (Z).</summary>
    private static bool IsPostgresProcess(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= stat.Length)
            {
                return false;
            }

            var name = stat[(open + 1)..close];
            return name is "postgres" or "postmaster" && stat[close + 2] != 'Z';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>The embedded PostgreSQL cannot be used; the message says why and what to do about it.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException()
    {
    }

    public EmbeddedPostgresException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
