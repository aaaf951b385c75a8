using System.Collections.Concurrent;
using Baoming.Telegram;
using Dapper;
using Npgsql;

namespace Baoming.Delivery;

/// <summary>
/// The global send rate, shared by every instance through one PostgreSQL row. Each caller reserves
/// a run of time slots (1 / rate apart) after the last reserved one and waits for its first slot,
/// so sends are spread evenly and any one-second window holds at most the configured rate. The
/// database clock decides, so instances with skewed clocks still agree. Waits are in real time
/// (<see cref="TimeProvider.System"/>): this is about Telegram's clock, not the business clock.
/// </summary>
public sealed class RateLimiter(NpgsqlDataSource dataSource, IOptionsMonitor<TelegramOptions> options)
{
    /// <summary>
    /// A little below the limit: a run of slots is sent together at its start, and network jitter
    /// must not push one second over the limit.
    /// </summary>
    public const double Headroom = 0.97;

    public const string ReserveSql = """
        update rate_limits
           set next_at = greatest(next_at, clock_timestamp()) + make_interval(secs => @count / @rate)
         where name = 'telegram'
        returning extract(epoch from (next_at - make_interval(secs => @count / @rate) - clock_timestamp()))::float8
        """;

    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly ConcurrentDictionary<long, long> lastSendToChat = new();

    /// <summary>Until when this process already paused the shared limiter (a <see cref="TimeProvider"/> timestamp).</summary>
    private long pausedUntil;

    public double Rate => options.CurrentValue.MaxMessagesPerSecond * Headroom;

    /// <summary>How many sends one reservation may cover: about 1/40 s of sending, at least one.</summary>
    public int BatchSize => Math.Max(1, (int)(Rate / 40));

    /// <summary>Reserves <paramref name="count"/> sends and waits until they may go.</summary>
    public async Task AcquireAsync(int count, CancellationToken cancellationToken)
    {
        double wait;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            wait = await connection.ExecuteScalarAsync<double>(new CommandDefinition(
                ReserveSql, new { count = (double)count, rate = Rate }, cancellationToken: cancellationToken));
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
        }
    }

    /// <summary>
    /// Telegram answered 429: no instance starts a new send before <paramref name="retryAfter"/> has passed.
    /// </summary>
    public async Task PauseAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        // A 429 storm answers hundreds of sends in flight at once: one pause per storm is enough.
        var until = Clock.GetTimestamp() + (long)(retryAfter.TotalSeconds * Clock.TimestampFrequency);
        var known = Interlocked.Read(ref pausedUntil);
        if (until - known < Clock.TimestampFrequency / 10 || Interlocked.CompareExchange(ref pausedUntil, until, known) != known)
        {
            return;
        }

        const string Sql = "update rate_limits set next_at = greatest(next_at, clock_timestamp() + make_interval(secs => @seconds)) where name = 'telegram'";
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(Sql, new { seconds = retryAfter.TotalSeconds }, cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            // Best effort: the sender that got the 429 still waits on its own.
        }
    }

    /// <summary>
    /// Telegram allows about one message a second to one chat. Within this process a second
    /// message to the same chat waits; across instances a 429 makes the sender wait and retry.
    /// </summary>
    public async Task PaceChatAsync(long chatId, CancellationToken cancellationToken)
    {
        var now = Clock.GetTimestamp();
        var last = lastSendToChat.GetOrAdd(chatId, 0);
        var elapsed = last == 0 ? TimeSpan.MaxValue : Clock.GetElapsedTime(last, now);
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1) - elapsed, cancellationToken);
        }

        lastSendToChat[chatId] = Clock.GetTimestamp();
        if (lastSendToChat.Count > 100_000)
        {
            // Forget chats not written to in the last seconds: memory stays flat on big fan-outs.
            foreach (var (chat, at) in lastSendToChat)
            {
                if (Clock.GetElapsedTime(at) > TimeSpan.FromSeconds(2))
                {
                    lastSendToChat.TryRemove(chat, out _);
                }
            }
        }
    }
}
