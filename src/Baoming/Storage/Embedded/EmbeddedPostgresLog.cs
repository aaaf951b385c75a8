using Microsoft.Extensions.Logging;

namespace Baoming.Storage.Embedded;

/// <summary>Log messages of the embedded cluster (event ids 100-199). Never pass a password or a connection string.</summary>
internal static partial class EmbeddedPostgresLog
{
    [LoggerMessage(100, LogLevel.Debug, "Using PostgreSQL binaries in {BinDirectory}")]
    public static partial void UsingBinaries(this ILogger logger, string binDirectory);

    [LoggerMessage(101, LogLevel.Information, "Initialising a new PostgreSQL cluster in {ClusterDirectory}")]
    public static partial void InitialisingCluster(this ILogger logger, string clusterDirectory);

    [LoggerMessage(102, LogLevel.Information, "Initialised the PostgreSQL cluster in {ElapsedMilliseconds} ms")]
    public static partial void InitialisedCluster(this ILogger logger, long elapsedMilliseconds);

    [LoggerMessage(103, LogLevel.Debug, "Starting PostgreSQL on 127.0.0.1:{Port} (durable: {IsDurable})")]
    public static partial void StartingServer(this ILogger logger, int port, bool isDurable);

    [LoggerMessage(104, LogLevel.Information, "Started the embedded PostgreSQL on 127.0.0.1:{Port} in {ElapsedMilliseconds} ms; data in {DataDirectory}")]
    public static partial void StartedServer(this ILogger logger, int port, long elapsedMilliseconds, string dataDirectory);

    [LoggerMessage(105, LogLevel.Information, "PostgreSQL is already running for {DataDirectory} (pid {ProcessId}, port {Port}); using it and leaving it running on exit")]
    public static partial void AttachedToRunningServer(this ILogger logger, string dataDirectory, int processId, int port);

    [LoggerMessage(106, LogLevel.Information, "Created database {Database}")]
    public static partial void CreatedDatabase(this ILogger logger, string database);

    [LoggerMessage(107, LogLevel.Warning, "Port {Port} was taken before PostgreSQL could bind it; retrying on another port")]
    public static partial void PortTaken(this ILogger logger, int port);

    [LoggerMessage(108, LogLevel.Information, "Running PostgreSQL as user {User} because Baoming runs as root")]
    public static partial void RunningAsUser(this ILogger logger, string user);

    [LoggerMessage(109, LogLevel.Debug, "Waiting for another process to finish starting PostgreSQL in {DataDirectory}")]
    public static partial void WaitingForStartLock(this ILogger logger, string dataDirectory);

    [LoggerMessage(110, LogLevel.Information, "Stopping the embedded PostgreSQL")]
    public static partial void StoppingServer(this ILogger logger);

    [LoggerMessage(111, LogLevel.Information, "Stopped the embedded PostgreSQL in {ElapsedMilliseconds} ms")]
    public static partial void StoppedServer(this ILogger logger, long elapsedMilliseconds);

    [LoggerMessage(112, LogLevel.Warning, "Could not stop the embedded PostgreSQL in {DataDirectory}")]
    public static partial void StopFailed(this ILogger logger, Exception exception, string dataDirectory);

    [LoggerMessage(113, LogLevel.Information, "Rotated {LogFile} because it grew past {Megabytes} MB")]
    public static partial void RotatedServerLog(this ILogger logger, string logFile, int megabytes);
}
