using System.Collections.Concurrent;
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
public sealed class RateLimiter(NpgsqlDataSource dataSource, IOptionsMonitor<SendRateOptions> options)
{
    /// <summary>
    /// A little below the limit: a send held up by a pause (GC, a busy machine) goes out late,
    /// close to the next one, and network jitter must not push one second over the limit.
    /// </summary>
    public const double Headroom = 0.97;

    public const string ReserveSql = """
        update rate_limits
           set next_at = greatest(next_at, clock_timestamp()) + make_interval(secs => @count / @rate)
         where name = 'telegram'
        returning extract(epoch from (next_at - make_interval(secs => @count / @rate) - clock_timestamp()))::float8
        """;

    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>
    /// The most this process sends, as a share of the limit, when catching up after a pause: just above the
    /// shared pace (<see cref="Headroom"/>), so it never slows a run that keeps its slots, and at most
    /// 0.975 × limit + <see cref="LocalBurst"/> sends leave in any second. What Telegram counts can still be
    /// a little more when the machine stalls a batch between here and the socket (0.985 left 11 sends of
    /// margin at 1,000/s, and a loaded CI run once measured 1,001); this leaves 21.
    /// </summary>
    public const double LocalCeiling = 0.975;

    /// <summary>How many sends may leave this process back to back.</summary>
    private const int LocalBurst = 4;

    private readonly ConcurrentDictionary<long, long> lastSendToChat = new();
    private readonly Lock localGate = new();
    private long localTheoreticalAt;

    /// <summary>Until when this process already paused the shared limiter (a <see cref="TimeProvider"/> timestamp).</summary>
    private long pausedUntil;

    public double Rate => options.CurrentValue.MaxMessagesPerSecond * Headroom;

    /// <summary>
    /// How many sends one reservation covers: about 1/20 s of sending, at least one. The sends of a
    /// reservation are spread over it (see <see cref="WaitForSlotAsync"/>), so its size adds no burst.
    /// </summary>
    public int BatchSize => Math.Max(1, (int)(Rate / 20));

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive send slots after the last reserved one. The
    /// caller waits for <see cref="Reservation.StartAsync"/> and then reserves the next run at once:
    /// reserving a whole run ahead means a slow round trip or a short pause loses no slots.
    /// </summary>
    public async Task<Reservation> ReserveAsync(int count, CancellationToken cancellationToken)
    {
        var rate = Rate;
        double wait;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            wait = await connection.ExecuteScalarAsync<double>(new CommandDefinition(
                ReserveSql, new { count = (double)count, rate }, cancellationToken: cancellationToken));
        }

        // The database clock decided the slot; from here on it is local time.
        return new Reservation(Clock.GetTimestamp() + (long)(wait * Clock.TimestampFrequency), rate);
    }

    /// <summary>
    /// Waits for the <paramref name="index"/>-th slot of <paramref name="reservation"/> (0-based),
    /// then for this process's own pace: after a pause (GC, a busy machine) the sends whose slots
    /// went by leave at <see cref="LocalCeiling"/> of the limit, a few at a time, not in one burst
    /// that would put more than the limit into one second.
    /// </summary>
    public async Task WaitForSlotAsync(Reservation reservation, int index, CancellationToken cancellationToken)
    {
        var due = reservation.Start + (long)(index / reservation.Rate * Clock.TimestampFrequency);
        var wait = Clock.GetElapsedTime(Clock.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        // A virtual-scheduling pacer (GCRA): each send moves the theoretical arrival time on by
        // one spacing; a send may go while that time is at most LocalBurst spacings ahead of now.
        var spacing = Clock.TimestampFrequency / (options.CurrentValue.MaxMessagesPerSecond * LocalCeiling);
        long leaveAt;
        lock (localGate)
        {
            var now = Clock.GetTimestamp();
            var theoretical = Math.Max(localTheoreticalAt, now);
            localTheoreticalAt = theoretical + (long)spacing;
            leaveAt = theoretical - (long)(spacing * LocalBurst);
        }

        var hold = Clock.GetElapsedTime(Clock.GetTimestamp(), leaveAt);
        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, cancellationToken);
        }
    }

    /// <summary>A run of send slots, 1 / <see cref="Rate"/> apart, beginning at <see cref="Start"/> (a local timestamp).</summary>
    public sealed record Reservation(long Start, double Rate)
    {
        /// <summary>Waits until <paramref name="early"/> before the first slot.</summary>
        public Task StartAsync(TimeSpan early, CancellationToken cancellationToken)
        {
            var wait = Clock.GetElapsedTime(Clock.GetTimestamp(), Start) - early;
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
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
