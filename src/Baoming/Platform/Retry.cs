using System.Net.Sockets;
using Npgsql;

namespace Baoming.Platform;

/// <summary>
/// Waits out database outages: the work is retried with growing pauses (up to 10 s) for as long as
/// PostgreSQL is unreachable. Any other error is a bug and is thrown at once.
/// </summary>
public static partial class Retry
{
    public static async Task<T> UntilDoneAsync<T>(Func<CancellationToken, Task<T>> work, ILogger logger, CancellationToken cancellationToken)
    {
        var pause = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                return await work(cancellationToken);
            }
            catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
            {
                // An outage is expected and says what it is in one line; its stack trace helps no one.
                LogOutage(logger, e.GetBaseException().Message, pause.Current.TotalSeconds);
                await pause.WaitAsync(cancellationToken);
            }
        }
    }

    public static Task UntilDoneAsync(Func<CancellationToken, Task> work, ILogger logger, CancellationToken cancellationToken) =>
        UntilDoneAsync<bool>(async ct =>
        {
            await work(ct);
            return true;
        }, logger, cancellationToken);

    /// <summary>Connection lost, refused, server shutting down or restarting: worth waiting for.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "40001" or "40P01" or "53300" } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        InvalidOperationException { InnerException: NpgsqlException inner } => IsOutage(inner),
        // Hangfire wraps the storage's exceptions: enqueueing a job while PostgreSQL is away is an outage too.
        Hangfire.BackgroundJobClientException { InnerException: { } inner } => IsOutage(inner),
        _ => false,
    };

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Database unavailable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogOutage(ILogger logger, string reason, double seconds);
}
