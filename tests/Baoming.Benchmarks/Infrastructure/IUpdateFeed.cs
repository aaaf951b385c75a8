namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// Telegram's side of update delivery, as the benchmark plays it: <see cref="LeanBotApi"/> hands updates
/// out to getUpdates, <see cref="WebhookTelegram"/> POSTs them to the instances' webhook.
/// </summary>
internal interface IUpdateFeed
{
    /// <summary>Queues an update (JSON without update_id: it is added here) for the bot; returns its update_id.</summary>
    long Offer(string updateBody);

    /// <summary>When the bot took the update (a Stopwatch timestamp), or null: handed out by getUpdates, or answered 2xx by a webhook.</summary>
    long? DeliveredAt(long updateId);

    /// <summary>Updates offered that the bot has not taken yet.</summary>
    int PendingUpdates { get; }
}
