using Baoming.Members;
using Baoming.Metrics;
using Baoming.Storage;
using Npgsql;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Where updates come in, by polling or by webhook: stored in the inbox (with their senders) first,
/// then queued for handling. Only once this returns may Telegram be told they arrived.
/// </summary>
public sealed partial class InboxIntake(
    InboxRepository inbox, InboxProcessor processor, DatabaseReadiness readiness, BaomingMetrics metrics, ILogger<InboxIntake> logger)
{
    /// <summary>
    /// Stores the updates; returns how many were new (a re-delivered update is stored and handled once).
    /// An update PostgreSQL refuses is recorded as skipped instead, and the rest of the batch goes on:
    /// nothing in one update can make Telegram deliver the batch again for ever.
    /// During start-up this waits until the migrations are applied (the inbox may not exist yet, or not in
    /// its current shape); the caller holds the updates meanwhile and tells Telegram nothing.
    /// </summary>
    public async Task<int> AcceptAsync(IReadOnlyList<ReceivedUpdate> updates, CancellationToken cancellationToken)
    {
        if (!readiness.IsMigrated)
        {
            LogHoldingUntilMigrated(updates.Count);
            await readiness.WaitMigratedAsync(cancellationToken);
        }

        IReadOnlyList<long> stored;
        try
        {
            stored = await StoreAsync(updates, cancellationToken);
        }
        catch (PostgresException e) when (IsRefusal(e) && updates.Count > 1)
        {
            // Find the one at fault: each alone. The others are stored as usual.
            var one = new List<long>();
            foreach (var update in updates)
            {
                one.AddRange(await StoreOrSkipAsync(update, cancellationToken));
            }

            stored = one;
        }
        catch (PostgresException e) when (IsRefusal(e))
        {
            stored = await StoreOrSkipAsync(updates[0], cancellationToken);
        }

        var isNew = stored.ToHashSet();
        foreach (var update in updates.Where(u => isNew.Contains(u.UpdateId)))
        {
            processor.Enqueue(new InboxItem(update.UpdateId, update.ChatId, update.Json));
        }

        return isNew.Count;
    }

    private Task<IReadOnlyList<long>> StoreAsync(IReadOnlyList<ReceivedUpdate> updates, CancellationToken cancellationToken) =>
        inbox.StoreAsync(
            [.. updates.Select(u => new InboxItem(u.UpdateId, u.ChatId, u.Json))],
            [.. updates.Select(u => u.Sender).OfType<MemberProfile>()],
            cancellationToken);

    private async Task<IReadOnlyList<long>> StoreOrSkipAsync(ReceivedUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAsync([update], cancellationToken);
        }
        catch (PostgresException e) when (IsRefusal(e))
        {
            LogRefused(e.SqlState, update.UpdateId);
            metrics.UpdateSkipped("refused");
            await inbox.SkipAsync(update.UpdateId, update.ChatId, $"refused by PostgreSQL ({e.SqlState}: {e.MessageText})", cancellationToken);
            return [];
        }
    }

    /// <summary>The data was refused (a value PostgreSQL cannot take, class 22), not the database unavailable.</summary>
    private static bool IsRefusal(PostgresException e) => e.SqlState.StartsWith("22", StringComparison.Ordinal);

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Holding {Count} updates in memory until the migrations are applied; Telegram is not told they arrived")]
    private partial void LogHoldingUntilMigrated(int count);

    [LoggerMessage(EventId = 305, Level = LogLevel.Error, Message = "PostgreSQL refused update {UpdateId} ({SqlState}); recorded as skipped")]
    private partial void LogRefused(string sqlState, long updateId);
}
