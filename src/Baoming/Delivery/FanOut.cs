using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Messaging;
using Baoming.Storage;

namespace Baoming.Delivery;

/// <summary>
/// What a fan-out sends: a topic (reminder slot, broadcast, session notice) knows its recipients,
/// its wording and what to do when it is finished. One topic is one Hangfire job, whatever the
/// number of recipients.
/// </summary>
public interface ITopic
{
    /// <summary>The topic key's prefix, e.g. "reminder" for "reminder:42".</summary>
    string Kind { get; }

    /// <summary>Adds the recipients to the ledger (safe to repeat); false when the topic no longer applies.</summary>
    Task<bool> PrepareAsync(string topic, CancellationToken cancellationToken);

    /// <summary>The message for one wording and language; called once per (variant, language) and cached.</summary>
    Task<Reply> RenderAsync(string topic, short variant, Language language, CancellationToken cancellationToken);

    /// <summary>Called once the ledger holds no pending rows for the topic.</summary>
    Task CompletedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken);

    /// <summary>
    /// Asked before each batch is claimed: false stops the run (e.g. a broadcast cancelled by an
    /// organizer), leaving the rest pending and <see cref="CompletedAsync"/> uncalled.
    /// </summary>
    Task<bool> ShouldContinueAsync(string topic, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>After a stop asked for by <see cref="ShouldContinueAsync"/>, once nothing is in flight any more.</summary>
    Task StoppedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After each batch: how far the run is (for a status message; throttling is the topic's business).</summary>
    Task ProgressAsync(string topic, FanOutProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Progress of a fan-out, for status messages.</summary>
public sealed record FanOutProgress(int Done, int Total, double PerSecond);

/// <summary>
/// The shared sending path for reminders, broadcasts and notices: claims ledger rows in batches,
/// paces sends through the global <see cref="RateLimiter"/>, and writes each outcome back.
/// Safe to run twice, after a crash, or on two instances at once.
/// </summary>
public sealed partial class FanOut(
    IEnumerable<ITopic> topics,
    DeliveryLedger ledger,
    RateLimiter limiter,
    IMessenger messenger,
    ILogger<FanOut> logger)
{
    /// <summary>
    /// Rows claimed (moved to 'sending') at a time: about one second of sending, so a crash leaves at
    /// most that many (two batches, with the pipelining) with an unknown outcome, and a run notices a
    /// cancellation and reports progress at least that often.
    /// </summary>
    private int ClaimBatch => Math.Clamp((int)limiter.Rate, 10, 500);

    private readonly Dictionary<string, ITopic> topics = topics.ToDictionary(t => t.Kind, StringComparer.Ordinal);

    public ITopic TopicFor(string topic) =>
        topics.TryGetValue(topic.Split(':', 2)[0], out var handler)
            ? handler
            : throw new InvalidOperationException($"No handler for topic '{topic}'.");

    public async Task<DeliveryStats> RunAsync(string topic, Func<FanOutProgress, Task>? progress, CancellationToken cancellationToken)
    {
        // One run per topic at a time, across instances: a session-level advisory lock on a held
        // connection. If the holder dies its connection closes and the lock is free again, so the
        // next run knows that anything left in 'sending' belonged to a dead run.
        await using var lease = await ledger.TryLeaseAsync(topic, cancellationToken);
        if (lease is null)
        {
            LogBusy(topic);
            return await ledger.StatsAsync(topic, cancellationToken);
        }

        var handler = TopicFor(topic);
        var abandoned = await Retry.UntilDoneAsync(ct => ledger.MarkAbandonedAsync(topic, ct), logger, cancellationToken);
        if (abandoned > 0)
        {
            LogAbandoned(topic, abandoned);
        }

        if (!await Retry.UntilDoneAsync(ct => handler.PrepareAsync(topic, ct), logger, cancellationToken))
        {
            LogNotApplicable(topic);
            return await ledger.StatsAsync(topic, cancellationToken);
        }

        var total = (await ledger.StatsAsync(topic, cancellationToken)).Total;
        var replies = new Dictionary<(short, Language), Reply>();
        var started = TimeProvider.System.GetTimestamp();
        var done = total - (await ledger.StatsAsync(topic, cancellationToken)).Pending;
        var doneBefore = done;
        LogStarting(topic, total);

        // Pipelined, so the limiter's slots are not wasted between batches: the next batch is
        // claimed while one goes out, and a finished batch's outcomes are written back while the
        // next one goes out. At most two batches are claimed at a time.
        var claimed = await ClaimAsync(topic);
        var writingBack = Task.CompletedTask;
        try
        {
            while (claimed.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                if (!await Retry.UntilDoneAsync(ct => handler.ShouldContinueAsync(topic, ct), logger, cancellationToken))
                {
                    // Stopped (e.g. a cancelled broadcast): what was claimed but not sent goes back, unsent;
                    // the batch already going out finishes first, so the final report is the last word.
                    await ReleaseAsync(claimed);
                    await writingBack;
                    await handler.StoppedAsync(topic, await ledger.StatsAsync(topic, CancellationToken.None), cancellationToken);
                    LogStopped(topic);
                    return await ledger.StatsAsync(topic, CancellationToken.None);
                }

                foreach (var key in claimed.Select(c => (c.Variant, Languages.FromTelegramCode(c.LanguageCode))).Distinct().Where(k => !replies.ContainsKey(k)))
                {
                    replies[key] = await handler.RenderAsync(topic, key.Variant, key.Item2, cancellationToken);
                }

                // Claimed while this batch goes out: a claim on a big topic can take longer than the
                // limiter's lead, and the send slots it took would be lost.
                var claiming = ClaimAsync(topic);
                var sending = await DispatchAsync(claimed, replies, cancellationToken);
                claimed = await claiming;
                await writingBack;
                writingBack = WriteBackAsync(sending);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down (SIGTERM): handled below.
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // What was claimed but not sent goes back to pending; what went out is written back. The
            // job ends as cancelled and Hangfire runs it again, here or on another instance, which
            // sends the rest: nothing is lost, nothing is sent twice, nothing is left 'unknown'.
            await ReleaseAsync(claimed);
            await writingBack;
            LogHandedBack(topic);
            return await ledger.StatsAsync(topic, CancellationToken.None);
        }

        await writingBack;

        async Task WriteBackAsync(Task<Completion[]> sending)
        {
            var completions = await sending;
            await Retry.UntilDoneAsync(ct => ledger.CompleteAsync(completions, ct), logger, CancellationToken.None);
            done += completions.Length;
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var report = new FanOutProgress(done, total, seconds > 0 ? (done - doneBefore) / seconds : 0);
            // Not cancelled by a shutdown: the write-back of the batch after this one waits for it.
            await handler.ProgressAsync(topic, report, CancellationToken.None);
            if (progress is not null)
            {
                await progress(report);
            }
        }

        var stats = await ledger.StatsAsync(topic, CancellationToken.None);
        if (stats.Pending == 0)
        {
            await handler.CompletedAsync(topic, stats, cancellationToken);
            LogFinished(topic, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown);
        }

        return stats;
    }

    /// <summary>
    /// Not cancellable: a claim cut off half-way could commit unseen, leaving rows in 'sending' that
    /// nobody sends. A shutdown is noticed before the claimed rows go out, and they are released.
    /// </summary>
    private Task<IReadOnlyList<Claimed>> ClaimAsync(string topic) =>
        Retry.UntilDoneAsync(ct => ledger.ClaimAsync(topic, ClaimBatch, ct), logger, CancellationToken.None);

    private async Task ReleaseAsync(IReadOnlyList<Claimed> claimed)
    {
        if (claimed.Count > 0)
        {
            await Retry.UntilDoneAsync(ct => ledger.ReleaseAsync([.. claimed.Select(c => c.Id)], ct), logger, CancellationToken.None);
        }
    }

    /// <summary>
    /// Starts one claimed batch's sends: each rate-limiter reservation covers a short run of sends,
    /// each at its own slot. Returns once the last send has started, with all of them still running.
    /// Claimed rows not attempted because of shutdown go back to pending.
    /// </summary>
    private async Task<Task<Completion[]>> DispatchAsync(IReadOnlyList<Claimed> claimed, Dictionary<(short, Language), Reply> replies, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task<Completion>>(claimed.Count);
        var attempted = 0;
        try
        {
            foreach (var chunk in claimed.Chunk(limiter.BatchSize))
            {
                var reservation = await limiter.ReserveAsync(chunk.Length, cancellationToken);
                await reservation.StartAsync(cancellationToken);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var row = chunk[i];
                    inFlight.Add(SendOneAsync(row, reservation, i, replies[(row.Variant, Languages.FromTelegramCode(row.LanguageCode))]));
                    attempted++;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var unattempted = claimed.Skip(attempted).Select(c => c.Id).ToList();
            if (unattempted.Count > 0)
            {
                await Retry.UntilDoneAsync(ct => ledger.ReleaseAsync(unattempted, ct), logger, CancellationToken.None);
            }
        }

        return Task.WhenAll(inFlight);
    }

    private async Task<Completion> SendOneAsync(Claimed row, RateLimiter.Reservation reservation, int slot, Reply reply)
    {
        // Its own slot within the reservation, so a run goes out evenly rather than in one burst.
        // Once dispatched a send is finished even during shutdown (a run lasts 1/20 s): abandoning
        // it midway would leave its outcome unknown.
        await limiter.WaitForSlotAsync(reservation, slot, CancellationToken.None);
        await limiter.PaceChatAsync(row.MemberId, CancellationToken.None);
        var outcome = await messenger.SendAsync(new Outgoing(row.MemberId, reply), CancellationToken.None);
        return new Completion(row.Id, outcome.Status.ToString().ToLowerInvariant(), outcome.MessageId);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Fan-out {Topic}: {Total} recipients")]
    private partial void LogStarting(string topic, int total);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Fan-out {Topic} finished: sent {Sent}, blocked {Blocked}, failed {Failed}, unknown {Unknown}")]
    private partial void LogFinished(string topic, int sent, int blocked, int failed, int unknown);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Fan-out {Topic}: {Count} sends of an earlier run ended with an unknown outcome; not resent")]
    private partial void LogAbandoned(string topic, int count);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Fan-out {Topic} is running elsewhere; leaving it to that run")]
    private partial void LogBusy(string topic);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Fan-out {Topic} stopped: the topic was withdrawn")]
    private partial void LogStopped(string topic);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Fan-out {Topic} paused for shutdown; the rest goes out when the job runs again")]
    private partial void LogHandedBack(string topic);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Fan-out {Topic} no longer applies; nothing sent")]
    private partial void LogNotApplicable(string topic);
}
