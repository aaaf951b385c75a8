using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Messaging;
using Baoming.Platform;
using Baoming.Storage;

namespace Baoming.Delivery;

/// <summary>
/// What a fan-out sends: a topic (reminder slot, broadcast, session notice) knows its recipients,
/// its wording and what to do when it is finished. One topic is one Hangfire job, whatever the
/// number of recipients.
/// </summary>
public interface ITopic
{
    /// <summary>The kind of key this topic handles (<see cref="TopicKey.Kind"/>), e.g. "reminder" for "reminder:42:1767225600".</summary>
    string Kind { get; }

    /// <summary>Adds the recipients to the ledger (safe to repeat); false when the topic no longer applies.</summary>
    Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken);

    /// <summary>The message for one wording and language; called once per (variant, language) and cached.</summary>
    Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken);

    /// <summary>
    /// The message for one recipient, made from the cached rendering just before it is sent (a personal join
    /// link). Synchronous and cheap: it runs once per send. By default the rendering itself, untouched.
    /// </summary>
    Reply ForRecipient(TopicKey topic, Reply rendered, long memberId) => rendered;

    /// <summary>Called once the ledger holds no pending rows for the topic.</summary>
    Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken);

    /// <summary>
    /// Asked before each batch is claimed: false stops the run (e.g. a broadcast cancelled by an
    /// organizer), leaving the rest pending and <see cref="CompletedAsync"/> uncalled.
    /// </summary>
    Task<bool> ShouldContinueAsync(TopicKey topic, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>After a stop asked for by <see cref="ShouldContinueAsync"/>, once nothing is in flight any more.</summary>
    Task StoppedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After each batch: how far the run is (for a status message; throttling is the topic's business).</summary>
    Task ProgressAsync(TopicKey topic, FanOutProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// A topic with a due time whose recipients can be written to the ledger shortly before it (a reminder slot):
/// its job starts a little early, <see cref="PrepareAheadAsync"/> inserts the rows known then, not sendable
/// before the due time; the run waits for the due time, <see cref="ITopic.PrepareAsync"/> tops the rows up
/// (sign-ups and cancellations since) and the first batch goes out at once, not after 100,000 inserts.
/// </summary>
public interface IPreparedTopic : ITopic
{
    /// <summary>
    /// Writes the recipients known now, not sendable before the due time (safe to repeat), and returns the
    /// due time; null when the topic no longer applies. A topic already due may skip the writing:
    /// <see cref="ITopic.PrepareAsync"/> follows at once and adds everyone.
    /// </summary>
    Task<DateTimeOffset?> PrepareAheadAsync(TopicKey topic, CancellationToken cancellationToken);
}

/// <summary>Progress of a fan-out, for status messages.</summary>
public sealed record FanOutProgress(int Done, int Total, double PerSecond);

/// <summary>
/// The shared sending path for reminders, broadcasts and notices: claims ledger rows in batches,
/// paces sends through the global <see cref="RateLimiter"/>, and writes each outcome back.
/// Safe to run twice, after a crash, or on two instances at once.
/// </summary>
/// <remarks>
/// A claimed row stays <c>pending</c> (owned by the run) until its own send starts: each reservation of
/// the rate limiter moves its few rows to <c>sending</c> in the same round trip that writes back the
/// outcomes finished since the previous one. So only sends really in flight are ever <c>sending</c>,
/// and only they can end <c>unknown</c> if the process dies. Every database call is retried through
/// an outage; a run that fails anyway puts what it did not send back to pending.
/// </remarks>
public sealed partial class FanOut(
    IEnumerable<ITopic> topics,
    DeliveryLedger ledger,
    RateLimiter limiter,
    IMessenger messenger,
    TimeProvider time,
    ILogger<FanOut> logger)
{
    /// <summary>
    /// Rows claimed at a time: about one second of sending, so a run notices a cancellation and reports
    /// progress at least that often. Claimed rows are not in flight: a crash leaves them pending.
    /// </summary>
    private int ClaimBatch => Math.Clamp((int)limiter.Rate, 10, 500);

    private readonly Dictionary<string, ITopic> topics = topics.ToDictionary(t => t.Kind, StringComparer.Ordinal);

    public ITopic TopicFor(TopicKey topic) =>
        topics.TryGetValue(topic.Kind, out var handler)
            ? handler
            : throw new InvalidOperationException($"No handler for topic '{topic}'.");

    public async Task<DeliveryStats> RunAsync(TopicKey topic, Func<FanOutProgress, Task>? progress, CancellationToken cancellationToken)
    {
        // One run per topic at a time, across instances: a session-level advisory lock on a held
        // connection. If the holder dies its connection closes and the lock is free again, so the
        // next run knows that anything left in 'sending' belonged to a dead run. (Should the lock be
        // lost with a live holder, the claims keep the two runs apart: see DeliveryLedger.StepSql.)
        await using var lease = await Retry.UntilDoneAsync(ct => ledger.TryLeaseAsync(topic, ct), logger, cancellationToken);
        if (lease is null)
        {
            LogBusy(topic);
            return await StatsAsync(topic, cancellationToken);
        }

        var handler = TopicFor(topic);
        var abandoned = await Retry.UntilDoneAsync(ct => ledger.MarkAbandonedAsync(topic, ct), logger, cancellationToken);
        if (abandoned.Unknown > 0)
        {
            LogAbandoned(topic, abandoned.Unknown);
        }

        if (abandoned.Released > 0)
        {
            LogReleased(topic, abandoned.Released);
        }

        if (handler is IPreparedTopic prepared)
        {
            // Prepared ahead, then the due time waited for here, in the job: not in Hangfire's schedule poll
            // (up to Jobs:SchedulePollingInterval late), and with the lease held, so no other run starts meanwhile.
            // A shutdown during the wait cancels the job, which Hangfire runs again: the preparation is repeated
            // cheaply (only missing rows), and nothing was sendable yet.
            var dueAt = await Retry.UntilDoneAsync(ct => prepared.PrepareAheadAsync(topic, ct), logger, cancellationToken);
            if (dueAt is null)
            {
                LogNotApplicable(topic);
                return await StatsAsync(topic, cancellationToken);
            }

            var wait = dueAt.Value - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                LogPrepared(topic, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        if (!await Retry.UntilDoneAsync(ct => handler.PrepareAsync(topic, ct), logger, cancellationToken))
        {
            LogNotApplicable(topic);
            return await StatsAsync(topic, cancellationToken);
        }

        var before = await StatsAsync(topic, cancellationToken);
        var run = new Run(topic, Guid.NewGuid(), before.Total, before.Total - before.Pending);
        var replies = new Dictionary<(short, Language), Reply>();
        LogStarting(topic, run.Total);

        // Pipelined, so the limiter's slots are not wasted between batches: the next batch is claimed
        // while one goes out, and progress is reported while the next one goes out.
        var claimed = await ClaimAsync(run);
        Task<IReadOnlyList<Claimed>>? claiming = null;
        var reporting = Task.CompletedTask;
        try
        {
            while (claimed.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                if (!await Retry.UntilDoneAsync(ct => handler.ShouldContinueAsync(topic, ct), logger, cancellationToken))
                {
                    // Stopped (e.g. a cancelled broadcast): what was claimed but not sent goes back, unsent;
                    // what is going out finishes first, so the final report is the last word.
                    await ReleaseAsync(run);
                    await FinishAsync(run);
                    await reporting;
                    var stopped = await StatsAsync(topic, CancellationToken.None);
                    await Retry.UntilDoneAsync(ct => handler.StoppedAsync(topic, stopped, ct), logger, cancellationToken);
                    LogStopped(topic);
                    return stopped;
                }

                foreach (var key in claimed.Select(c => (c.Variant, Languages.FromTelegramCode(c.LanguageCode))).Distinct().Where(k => !replies.ContainsKey(k)))
                {
                    replies[key] = await Retry.UntilDoneAsync(ct => handler.RenderAsync(topic, key.Variant, key.Item2, ct), logger, cancellationToken);
                }

                // Claimed while this batch goes out: a claim on a big topic can take longer than the
                // limiter's lead, and the send slots it took would be lost.
                claiming = ClaimAsync(run);
                await DispatchAsync(run, handler, claimed, replies, cancellationToken);
                claimed = await claiming;
                claiming = null;
                await reporting;
                reporting = ReportAsync(run, handler, progress);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down (SIGTERM): handled below.
        }
        catch (Exception)
        {
            // Not an outage (those are waited out): a bug or a topic's own failure, logged by the job. What
            // was not sent goes back to pending and what went out is written back: the job's retry loses nobody.
            LogFailed(topic);
            await ReleaseAsync(run, claiming);
            await FinishAsync(run);
            throw;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // What was claimed but not sent goes back to pending; what went out is written back. The
            // job ends as cancelled and Hangfire runs it again, here or on another instance, which
            // sends the rest: nothing is lost, nothing is sent twice, nothing is left 'unknown'.
            await ReleaseAsync(run, claiming);
            await FinishAsync(run);
            await reporting;
            LogHandedBack(topic);
            return await StatsAsync(topic, CancellationToken.None);
        }

        await FinishAsync(run);
        await reporting;
        await ReportAsync(run, handler, progress);
        var stats = await StatsAsync(topic, CancellationToken.None);
        if (stats.Pending == 0)
        {
            await Retry.UntilDoneAsync(ct => handler.CompletedAsync(topic, stats, ct), logger, cancellationToken);
            LogFinished(topic, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown);
        }

        return stats;
    }

    private Task<DeliveryStats> StatsAsync(TopicKey topic, CancellationToken cancellationToken) =>
        Retry.UntilDoneAsync(ct => ledger.StatsAsync(topic, ct), logger, cancellationToken);

    /// <summary>
    /// Not cancellable: a claim cut off half-way could commit unseen, leaving rows claimed that this run
    /// does not know of (harmless, as the next run frees them, but needless). A shutdown is noticed
    /// before the claimed rows go out, and they are released.
    /// </summary>
    private async Task<IReadOnlyList<Claimed>> ClaimAsync(Run run)
    {
        var claimed = await Retry.UntilDoneAsync(ct => ledger.ClaimAsync(run.Topic, run.Id, ClaimBatch, time.GetUtcNow(), ct), logger, CancellationToken.None);
        run.Claimed(claimed);
        return claimed;
    }

    /// <summary>
    /// Everything claimed and not sent goes back to pending, including what a claim still under way
    /// brings. Best effort: the next run frees what is left.
    /// </summary>
    private async Task ReleaseAsync(Run run, Task? claiming = null)
    {
        if (claiming is not null)
        {
            await claiming;
        }

        var unsent = run.TakeUnsent();
        if (unsent.Count == 0)
        {
            return;
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await Retry.UntilDoneAsync(ct => ledger.ReleaseAsync(run.Id, unsent, ct), logger, patience.Token);
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            LogNotReleased(run.Topic, unsent.Count);
        }
    }

    /// <summary>Waits for the sends in flight and writes back their outcomes (through an outage: they did go out).</summary>
    private async Task FinishAsync(Run run)
    {
        await Task.WhenAll(run.TakeInFlight());
        var finished = run.TakeFinished();
        await Retry.UntilDoneAsync(ct => ledger.CompleteAsync(finished, ct), logger, CancellationToken.None);
        run.Written(finished.Count);
    }

    private async Task ReportAsync(Run run, ITopic handler, Func<FanOutProgress, Task>? progress)
    {
        var report = run.Progress();
        // Not cancelled by a shutdown: the run waits for it before it ends.
        await Retry.UntilDoneAsync(ct => handler.ProgressAsync(run.Topic, report, ct), logger, CancellationToken.None);
        if (progress is not null)
        {
            await progress(report);
        }
    }

    /// <summary>
    /// Starts one claimed batch's sends: each rate-limiter reservation covers a short run of sends, each
    /// at its own slot. As a reservation's time comes, its rows move to 'sending' and the outcomes
    /// finished so far are written back, in one round trip. Returns once the last send has started,
    /// with the sends still running; on a shutdown, rows not started stay claimed for the release.
    /// </summary>
    private async Task DispatchAsync(Run run, ITopic handler, IReadOnlyList<Claimed> claimed, Dictionary<(short, Language), Reply> replies, CancellationToken cancellationToken)
    {
        foreach (var chunk in claimed.Chunk(limiter.BatchSize))
        {
            var reservation = await Retry.UntilDoneAsync(ct => limiter.ReserveAsync(chunk.Length, ct), logger, cancellationToken);
            // The step begins just ahead of the first slot, by about the time a step takes, so the sends
            // leave on time and a row is 'sending' hardly longer than its request is in flight.
            await reservation.StartAsync(run.StepLead, cancellationToken);
            var started = await StepAsync(run, [.. chunk.Select(c => c.Id)]);
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = chunk[i];
                // Not started: a newer run took the claim back (this run's lock went with its connection).
                if (started.Contains(row.Id))
                {
                    run.Started(row.Id, SendOneAsync(run, handler, row, reservation, i, replies[(row.Variant, Languages.FromTelegramCode(row.LanguageCode))]));
                }
                else
                {
                    run.Dropped(row.Id);
                }
            }
        }
    }

    /// <summary>
    /// Not cancellable: it carries outcomes of sends that went out, and it is one short statement. A step
    /// that committed unseen is harmless, as its retry finds the same rows started.
    /// </summary>
    private async Task<IReadOnlySet<long>> StepAsync(Run run, long[] starting)
    {
        var finished = run.TakeFinished();
        try
        {
            var began = TimeProvider.System.GetTimestamp();
            var started = await Retry.UntilDoneAsync(ct => ledger.StepAsync(run.Id, starting, finished, ct), logger, CancellationToken.None);
            run.Stepped(finished.Count, TimeProvider.System.GetElapsedTime(began));
            return started;
        }
        catch
        {
            // Kept for the final write-back.
            run.Finished(finished);
            throw;
        }
    }

    private async Task SendOneAsync(Run run, ITopic handler, Claimed row, RateLimiter.Reservation reservation, int slot, Reply reply)
    {
        Completion completion;
        try
        {
            // Its own slot within the reservation, so a run goes out evenly rather than in one burst.
            // Once started a send is finished even during shutdown (a run lasts 1/20 s): abandoning
            // it midway would leave its outcome unknown.
            // The permit is held until the answer is in: see RateLimiter's remarks on why that bounds any second.
            using var permit = await limiter.WaitForSlotAsync(reservation, slot, CancellationToken.None);
            await limiter.PaceChatAsync(row.MemberId, CancellationToken.None);
            var outcome = await messenger.SendAsync(new Outgoing(row.MemberId, handler.ForRecipient(run.Topic, reply, row.MemberId)), CancellationToken.None);
            completion = new Completion(row.Id, DeliveryStates.FromSend(outcome.Status), outcome.MessageId);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the row must not stay 'sending'; the message may have gone out.
            LogSendFailed(e, run.Topic, row.MemberId);
            completion = new Completion(row.Id, DeliveryState.Unknown, null);
        }

        run.Finished([completion]);
    }

    /// <summary>One run's bookkeeping: rows claimed and not yet started, sends in flight, outcomes not yet written.</summary>
    private sealed class Run(TopicKey topic, Guid id, int total, int done)
    {
        private static readonly TimeSpan MaxStepLead = TimeSpan.FromSeconds(0.05);

        private readonly Lock gate = new();
        private readonly HashSet<long> unsent = [];
        private readonly List<Task> inFlight = [];
        private readonly List<Completion> finished = [];
        private readonly long started = TimeProvider.System.GetTimestamp();
        private readonly int doneBefore = done;
        private int done = done;
        private long lastStepTicks;

        public TopicKey Topic => topic;

        public Guid Id => id;

        public int Total => total;

        public void Claimed(IEnumerable<Claimed> rows)
        {
            lock (gate)
            {
                unsent.UnionWith(rows.Select(r => r.Id));
            }
        }

        public void Started(long row, Task sending)
        {
            lock (gate)
            {
                unsent.Remove(row);
                inFlight.Add(sending);
            }
        }

        public void Dropped(long row)
        {
            lock (gate)
            {
                unsent.Remove(row);
            }
        }

        public void Finished(IEnumerable<Completion> completions)
        {
            lock (gate)
            {
                finished.AddRange(completions);
            }
        }

        /// <summary>How far ahead of a reservation's first slot its step begins: twice the last step's time, at most 1/20 s.</summary>
        public TimeSpan StepLead => TimeSpan.FromTicks(Math.Min(2 * Volatile.Read(ref lastStepTicks), MaxStepLead.Ticks));

        public void Written(int count) => Interlocked.Add(ref done, count);

        public void Stepped(int written, TimeSpan took)
        {
            Written(written);
            Volatile.Write(ref lastStepTicks, took.Ticks);
        }

        public List<long> TakeUnsent()
        {
            lock (gate)
            {
                var rows = unsent.ToList();
                unsent.Clear();
                return rows;
            }
        }

        public List<Task> TakeInFlight()
        {
            lock (gate)
            {
                var tasks = inFlight.ToList();
                inFlight.Clear();
                return tasks;
            }
        }

        public List<Completion> TakeFinished()
        {
            lock (gate)
            {
                var completions = finished.ToList();
                finished.Clear();
                return completions;
            }
        }

        public FanOutProgress Progress()
        {
            var now = Volatile.Read(ref done);
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            return new FanOutProgress(now, total, seconds > 0 ? (now - doneBefore) / seconds : 0);
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Fan-out {Topic}: {Total} recipients")]
    private partial void LogStarting(TopicKey topic, int total);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Fan-out {Topic} finished: sent {Sent}, blocked {Blocked}, failed {Failed}, unknown {Unknown}")]
    private partial void LogFinished(TopicKey topic, int sent, int blocked, int failed, int unknown);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Fan-out {Topic}: {Count} sends of an earlier run ended with an unknown outcome; not resent")]
    private partial void LogAbandoned(TopicKey topic, int count);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Fan-out {Topic} is running elsewhere; leaving it to that run")]
    private partial void LogBusy(TopicKey topic);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Fan-out {Topic} stopped: the topic was withdrawn")]
    private partial void LogStopped(TopicKey topic);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Fan-out {Topic} paused for shutdown; the rest goes out when the job runs again")]
    private partial void LogHandedBack(TopicKey topic);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Fan-out {Topic} prepared; it is due in {Seconds:0.0} s")]
    private partial void LogPrepared(TopicKey topic, double seconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Fan-out {Topic} no longer applies; nothing sent")]
    private partial void LogNotApplicable(TopicKey topic);

    [LoggerMessage(EventId = 607, Level = LogLevel.Information, Message = "Fan-out {Topic}: {Count} rows claimed by an earlier run and never sent went back to pending")]
    private partial void LogReleased(TopicKey topic, int count);

    [LoggerMessage(EventId = 608, Level = LogLevel.Warning, Message = "Fan-out {Topic} failed; what it did not send goes back to pending")]
    private partial void LogFailed(TopicKey topic);

    [LoggerMessage(EventId = 609, Level = LogLevel.Warning, Message = "Fan-out {Topic}: {Count} claimed rows could not be handed back; the next run frees them")]
    private partial void LogNotReleased(TopicKey topic, int count);

    [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "Fan-out {Topic}: sending to {MemberId} failed unexpectedly; recorded as unknown")]
    private partial void LogSendFailed(Exception exception, TopicKey topic, long memberId);
}
