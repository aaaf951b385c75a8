using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Baoming.Delivery;

/// <summary>
/// The global send rate, shared by every instance through one PostgreSQL row. Each caller reserves
/// a run of time slots (1 / rate apart) after the last reserved one and waits for its first slot,
/// so sends are spread evenly. The database clock decides, so instances with skewed clocks still
/// agree. Waits are in real time (<see cref="TimeProvider.System"/>): this is about Telegram's clock,
/// not the business clock.
/// </summary>
/// <remarks>
/// <para>
/// A reserved slot alone does not keep a one-second window under the limit: a stall between the
/// reservation and the socket (GC, a starved thread pool, the machine busy elsewhere) releases the sends
/// whose slots went by close together. So two checks are made at the moment of each send
/// (<see cref="WaitForSlotAsync"/>), after the slot has come:
/// </para>
/// <list type="number">
/// <item>
/// <b>A local sliding window, a hard bound for this process.</b> A send holds one of
/// <c>MaxMessagesPerSecond</c> permits from just before its request is written until one second after its
/// answer came back (<see cref="SendPermit.Dispose"/>). Telegram counts a message when it arrives, which is
/// between those two moments. Take any one-second window of arrivals and the send in it that started last:
/// every other send arriving in that window started no later and was answered no earlier than the window's
/// start, less than a second before that last start, so it still held its permit then. Hence no window holds
/// more arrivals than there are permits, however long a send stalls before or after the socket: a stall
/// only keeps the permits longer, and the sends behind it wait.
/// </item>
/// <item>
/// <b>A send late for its slot gives the slot up</b>, for instances together. A send that finds itself more
/// than <see cref="Tolerance"/> past its slot (it waited for a permit, or the process stalled) does not go:
/// it reserves a fresh slot at the end of the shared queue and waits for that. So every send leaves within
/// [slot, slot + tolerance], the slots of all instances are 1 / <see cref="Rate"/> apart, and any one-second
/// window holds at most Rate × (1 + tolerance) + 1 sends of all instances together: 0.97 × 1.025 = 0.994 of
/// the limit. Sends are never caught up in a burst after a pause; the slots that went by are lost instead
/// (the rate after a pause is a little lower, never higher).
/// </item>
/// </list>
/// <para>
/// What neither check can see is a stall after the permit, on two instances at once, in the same second; the
/// headroom below is for that.
/// </para>
/// </remarks>
public sealed partial class RateLimiter(NpgsqlDataSource dataSource, IOptionsMonitor<SendRateOptions> options, ILogger<RateLimiter> logger)
{
    /// <summary>
    /// A little below the limit: what a send may lag its slot (<see cref="Tolerance"/>) must still keep
    /// the sends of all instances under the limit in any one second, while the rate stays ≥ 0.95 of it.
    /// </summary>
    public const double Headroom = 0.97;

    /// <summary>
    /// How late after its slot a send may still go: 25 ms, so all instances together stay within
    /// <see cref="Headroom"/> × 1.025 = 0.994 of the limit. Smaller makes more sends lose their slot to
    /// ordinary timer and scheduling delays on a busy machine (each such loss lowers the rate); larger
    /// lets more through in one window.
    /// </summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// After this many lost slots in a row a send goes at its next slot however late it is, bounded by the
    /// local window only: on a machine so loaded that every wake-up is late, sending slowly beats not at all.
    /// </summary>
    private const int MaxReslots = 5;

    /// <summary>
    /// A permit comes back this long after its send was answered: one second, and a little for a timer that
    /// fires a tick early.
    /// </summary>
    private static readonly TimeSpan WindowHold = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(2);

    public const string ReserveSql = """
        update rate_limits
           set next_at = greatest(next_at, clock_timestamp()) + make_interval(secs => @count / @rate)
         where name = 'telegram'
        returning extract(epoch from (next_at - make_interval(secs => @count / @rate) - clock_timestamp()))::float8
        """;

    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly ConcurrentDictionary<long, long> lastSendToChat = new();
    private readonly Lock reslotGate = new();
    private readonly List<TaskCompletionSource<long>> reslotting = [];
    private bool reslotRunning;
    private SendWindow? window;

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
    /// Waits for the <paramref name="index"/>-th slot of <paramref name="reservation"/> (0-based) and a
    /// permit of the local window, and checks the send is not late (see the remarks on the type). The
    /// caller sends at once and disposes the permit when the answer (or the failure) is in.
    /// </summary>
    public async Task<SendPermit> WaitForSlotAsync(Reservation reservation, int index, CancellationToken cancellationToken)
    {
        var due = reservation.Start + (long)(index / reservation.Rate * Clock.TimestampFrequency);
        var current = CurrentWindow();
        for (var reslots = 0; ; reslots++)
        {
            var wait = Clock.GetElapsedTime(Clock.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await current.Permits.WaitAsync(cancellationToken);
            var late = Clock.GetElapsedTime(due);
            if (late <= Tolerance || reslots >= MaxReslots)
            {
                return new SendPermit(current);
            }

            // Late: going now would put this send close to the ones of the slots after it. The permit was
            // not used, so it comes back at once; the slot is lost.
            current.Permits.Release();
            if (reslots == 0)
            {
                LogLate(late.TotalMilliseconds);
            }

            due = await ReslotAsync();
        }
    }

    /// <summary>The window for the current limit (a new one when the limit is changed while running).</summary>
    private SendWindow CurrentWindow()
    {
        var limit = options.CurrentValue.MaxMessagesPerSecond;
        var known = Volatile.Read(ref window);
        if (known?.Limit == limit)
        {
            return known;
        }

        var fresh = new SendWindow(limit);
        return Interlocked.CompareExchange(ref window, fresh, known) == known ? fresh : Volatile.Read(ref window)!;
    }

    /// <summary>
    /// A fresh slot for a late send. The late sends of one stall (as many as its length allows) share a
    /// reservation: one round trip, not one each.
    /// </summary>
    private Task<long> ReslotAsync()
    {
        var slot = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (reslotGate)
        {
            reslotting.Add(slot);
            if (reslotRunning)
            {
                return slot.Task;
            }

            reslotRunning = true;
        }

        _ = Task.Run(ReslotAllAsync);
        return slot.Task;
    }

    private async Task ReslotAllAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<long>> waiting;
            lock (reslotGate)
            {
                if (reslotting.Count == 0)
                {
                    reslotRunning = false;
                    return;
                }

                waiting = [.. reslotting.Take(Math.Max(BatchSize, 1))];
                reslotting.RemoveRange(0, waiting.Count);
            }

            try
            {
                // Through an outage: the sends waiting here have started their rows, which must go out or be
                // written back (FanOut does not cancel a started send).
                var reservation = await Platform.Retry.UntilDoneAsync(ct => ReserveAsync(waiting.Count, ct), logger, CancellationToken.None);
                for (var i = 0; i < waiting.Count; i++)
                {
                    waiting[i].SetResult(reservation.Start + (long)(i / reservation.Rate * Clock.TimestampFrequency));
                }
            }
            catch (Exception e)
            {
                foreach (var slot in waiting)
                {
                    slot.SetException(e);
                }
            }
        }
    }

    /// <summary>This process's sliding one-second window: one permit per message the limit allows in a second.</summary>
    internal sealed class SendWindow(int limit)
    {
        public int Limit => limit;

        public SemaphoreSlim Permits { get; } = new(limit, limit);
    }

    /// <summary>
    /// A send's place in the local window, held from just before its request until one second after its
    /// answer: dispose it when the answer (or the failure) is in.
    /// </summary>
    public sealed class SendPermit : IDisposable
    {
        private SendWindow? window;

        internal SendPermit(SendWindow window) => this.window = window;

        public void Dispose()
        {
            var held = Interlocked.Exchange(ref window, null);
            if (held is not null)
            {
                _ = ReleaseLaterAsync(held);
            }
        }

        private static async Task ReleaseLaterAsync(SendWindow window)
        {
            await Task.Delay(WindowHold);
            window.Permits.Release();
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

    [LoggerMessage(EventId = 615, Level = LogLevel.Debug, Message = "A send was {LateMs:0} ms past its slot; it takes a fresh one")]
    private partial void LogLate(double lateMs);
}
