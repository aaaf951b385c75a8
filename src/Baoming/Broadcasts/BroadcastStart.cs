using Baoming.Core.Replies;

namespace Baoming.Broadcasts;

/// <summary>What a handler that releases a broadcast returns.</summary>
internal static class BroadcastStart
{
    /// <summary>
    /// The status message of a released broadcast, for the handler to return. Once it is sent its id is
    /// kept (so the fan-out edits it in place), then the release's follow-up, recorded with the release
    /// itself, is carried out: the one Hangfire job, planted at once or for its time (see
    /// <see cref="BroadcastFollowUps"/>). If this stops half-way, the follow-up runner plants the job
    /// anyway: a broadcast never stays released without one.
    /// </summary>
    public static Outgoing StatusAndJob(BroadcastRepository broadcasts, FollowUps.FollowUps followUps, long id, long chatId, Reply status) =>
        new(chatId, status)
        {
            AfterSent = async (messageId, cancellationToken) =>
            {
                await broadcasts.SetStatusMessageAsync(id, chatId, messageId, cancellationToken);
                await followUps.RunNowAsync(cancellationToken);
            },
        };
}
