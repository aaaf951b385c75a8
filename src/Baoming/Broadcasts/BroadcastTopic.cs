using System.Collections.Concurrent;
using System.Diagnostics;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Messaging;

namespace Baoming.Broadcasts;

/// <summary>
/// "broadcast:&lt;id&gt;": an organizer's message to an audience, one Hangfire job whatever its size,
/// through the shared ledger and rate limiter. The organizer's status message is edited in place
/// while it runs (at most every <see cref="StatusInterval"/>) and ends as the report. A cancelled
/// broadcast stops before its next batch.
/// </summary>
public sealed class BroadcastTopic(
    BroadcastRepository broadcasts,
    DeliveryLedger ledger,
    IMessenger messenger,
    IOptions<CommunityOptions> community,
    TimeProvider time) : ITopic
{
    /// <summary>Telegram allows about one edit a second per chat; every three seconds is plenty to watch.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(3);

    public const string TopicKind = "broadcast";

    private readonly ConcurrentDictionary<TopicKey, long> lastStatus = new();

    public string Kind => TopicKind;

    public static TopicKey Key(long id) => TopicKey.Of(TopicKind, id);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { State: BroadcastState.Scheduled or BroadcastState.Sending } broadcast
            || !await broadcasts.TransitionAsync(broadcast.Id, [BroadcastState.Scheduled, BroadcastState.Sending], BroadcastState.Sending, null, cancellationToken))
        {
            return false;
        }

        // The audience is fixed once: a run resumed after a restart does not add people who joined since.
        if (broadcast.PreparedAt is null)
        {
            await ledger.AddRecipientsAsync(topic, BroadcastRepository.RecipientsSql(broadcast.Kind), new { sessionId = broadcast.SessionId, now = time.GetUtcNow() }, cancellationToken);
            await broadcasts.MarkPreparedAsync(broadcast.Id, cancellationToken);
        }

        var stats = await ledger.StatsAsync(topic, cancellationToken);
        await EditStatusAsync(broadcast, texts => texts.BroadcastProgress(broadcast.Id, stats.Total - stats.Pending, stats.Total, 0), cancellationToken);
        lastStatus[topic] = Stopwatch.GetTimestamp();
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var broadcast = await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} vanished.");
        // The organizer wrote one text for everyone: the same in every language.
        return new Reply(broadcast.Text, []) { IsHtml = broadcast.ParseMode == "html" };
    }

    public async Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        lastStatus.TryRemove(topic, out _);
        if (await FindAsync(topic, cancellationToken) is not { } broadcast)
        {
            return;
        }

        await broadcasts.TransitionAsync(broadcast.Id, [BroadcastState.Sending], BroadcastState.Done, null, cancellationToken);
        await EditStatusAsync(broadcast, texts => texts.BroadcastReport(broadcast.Id, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown, notSent: 0, isStopped: false), cancellationToken);
    }

    public async Task<bool> ShouldContinueAsync(TopicKey topic, CancellationToken cancellationToken) =>
        await FindAsync(topic, cancellationToken) is not { State: BroadcastState.Cancelled };

    public async Task StoppedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { } broadcast)
        {
            return;
        }

        lastStatus.TryRemove(topic, out _);
        await EditStatusAsync(broadcast, texts => texts.BroadcastReport(broadcast.Id, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown, stats.Pending, isStopped: true), cancellationToken);
    }

    public async Task ProgressAsync(TopicKey topic, FanOutProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var now = Stopwatch.GetTimestamp();
        if (progress.Done >= progress.Total
            || (lastStatus.TryGetValue(topic, out var last) && Stopwatch.GetElapsedTime(last, now) < StatusInterval)
            || await FindAsync(topic, cancellationToken) is not { } broadcast)
        {
            return;
        }

        lastStatus[topic] = now;
        await EditStatusAsync(broadcast, texts => texts.BroadcastProgress(broadcast.Id, progress.Done, progress.Total, progress.PerSecond), cancellationToken);
    }

    private Task<Broadcast?> FindAsync(TopicKey topic, CancellationToken cancellationToken) =>
        topic.Is(TopicKind, 1)
            ? broadcasts.FindAsync(topic[0], cancellationToken)
            : Task.FromResult<Broadcast?>(null);

    private async Task EditStatusAsync(Broadcast broadcast, Func<Texts, Reply> render, CancellationToken cancellationToken)
    {
        if (broadcast is { StatusChatId: { } chatId, StatusMessageId: { } messageId })
        {
            var texts = new Texts(Languages.FromTelegramCode(broadcast.AuthorLanguage), community.Value.Zone);
            await messenger.EditAsync(chatId, messageId, render(texts), cancellationToken);
        }
    }
}
