using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Baoming.Community;
using Baoming.Core;
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
    IServiceProvider services,
    IOptions<CommunityOptions> community,
    TimeProvider time) : ITopic
{
    /// <summary>Telegram allows about one edit a second per chat; every three seconds is plenty to watch.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, long> lastStatus = new(StringComparer.Ordinal);

    public string Kind => "broadcast";

    public static string Topic(long id) => $"broadcast:{id.ToString(CultureInfo.InvariantCulture)}";

    // FanOut (a singleton taking the channel) builds this topic, and verbs without a channel never do;
    // the messenger is looked up when needed, as the export does.
    private IMessenger Messenger => services.GetRequiredService<IMessenger>();

    public async Task<bool> PrepareAsync(string topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { State: "scheduled" or "sending" } broadcast
            || !await broadcasts.TransitionAsync(broadcast.Id, ["scheduled", "sending"], "sending", null, cancellationToken))
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

    public async Task<Reply> RenderAsync(string topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var broadcast = await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} vanished.");
        // The organizer wrote one text for everyone: the same in every language.
        return new Reply(broadcast.Text, []) { IsHtml = broadcast.ParseMode == "html" };
    }

    public async Task CompletedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        lastStatus.TryRemove(topic, out _);
        if (await FindAsync(topic, cancellationToken) is not { } broadcast)
        {
            return;
        }

        await broadcasts.TransitionAsync(broadcast.Id, ["sending"], "done", null, cancellationToken);
        await EditStatusAsync(broadcast, texts => texts.BroadcastReport(broadcast.Id, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown, notSent: 0, isStopped: false), cancellationToken);
    }

    public async Task<bool> ShouldContinueAsync(string topic, CancellationToken cancellationToken) =>
        await FindAsync(topic, cancellationToken) is not { State: "cancelled" };

    public async Task StoppedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { } broadcast)
        {
            return;
        }

        lastStatus.TryRemove(topic, out _);
        await EditStatusAsync(broadcast, texts => texts.BroadcastReport(broadcast.Id, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown, stats.Pending, isStopped: true), cancellationToken);
    }

    public async Task ProgressAsync(string topic, FanOutProgress progress, CancellationToken cancellationToken)
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

    private Task<Broadcast?> FindAsync(string topic, CancellationToken cancellationToken) =>
        topic.Split(':') is [_, var id] && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var broadcastId)
            ? broadcasts.FindAsync(broadcastId, cancellationToken)
            : Task.FromResult<Broadcast?>(null);

    private async Task EditStatusAsync(Broadcast broadcast, Func<Texts, Reply> render, CancellationToken cancellationToken)
    {
        if (broadcast is { StatusChatId: { } chatId, StatusMessageId: { } messageId })
        {
            var texts = new Texts(Languages.FromTelegramCode(broadcast.AuthorLanguage), community.Value.Zone);
            await Messenger.EditAsync(chatId, messageId, render(texts), cancellationToken);
        }
    }
}
