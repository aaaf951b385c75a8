using System.Text.Json;
using System.Threading.Channels;
using Baoming.Members;
using Baoming.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Baoming.Inbox;

/// <summary>
/// Where updates come in, by polling or by webhook: stored in the inbox (with their senders) first,
/// then queued for handling. Only once this returns may Telegram be told they arrived.
/// </summary>
public sealed class InboxIntake(InboxRepository inbox, InboxProcessor processor)
{
    /// <summary>Updates stored in one statement at most (as getUpdates returns them).</summary>
    private const int MaxBatch = 100;

    private readonly Channel<Arrival> arrivals = Channel.CreateUnbounded<Arrival>(new UnboundedChannelOptions { SingleReader = true });
    private int storing;

    /// <summary>Stores the updates; returns how many were new (a re-delivered update is stored and handled once).</summary>
    public async Task<int> AcceptAsync(IReadOnlyList<Update> updates, CancellationToken cancellationToken) =>
        (await StoreAndQueueAsync(updates, cancellationToken)).Count;

    private async Task<HashSet<long>> StoreAndQueueAsync(IReadOnlyList<Update> updates, CancellationToken cancellationToken)
    {
        var items = updates.Select(u => new InboxItem(u.Id, UpdateMapper.ChatIdOf(u), JsonSerializer.Serialize(u, JsonBotAPI.Options))).ToList();
        var senders = updates.Select(UpdateMapper.SenderOf).OfType<MemberProfile>().ToList();
        var stored = (await inbox.StoreAsync(items, senders, cancellationToken)).ToHashSet();
        foreach (var item in items.Where(i => stored.Contains(i.UpdateId)))
        {
            await processor.EnqueueAsync(item, cancellationToken);
        }

        return stored;
    }

    /// <summary>
    /// One webhook update: true when it was new, false for a re-delivery; throws when it could not be
    /// stored. Updates posted at the same time are stored together, one statement for the lot (a group
    /// commit), as a getUpdates batch is: Telegram posts a busy bot's updates over many connections.
    /// </summary>
    public async Task<bool> AcceptOneAsync(Update update, CancellationToken cancellationToken)
    {
        var arrival = new Arrival(update, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        arrivals.Writer.TryWrite(arrival);
        if (Interlocked.CompareExchange(ref storing, 1, 0) == 0)
        {
            _ = Task.Run(StoreArrivalsAsync, CancellationToken.None);
        }

        return await arrival.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stores whatever has arrived, batch after batch, until nothing is waiting.</summary>
    private async Task StoreArrivalsAsync()
    {
        var batch = new List<Arrival>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && arrivals.Reader.TryRead(out var arrival))
            {
                batch.Add(arrival);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref storing, 0);
                // An arrival that came after the last read but before the flag was cleared started no
                // loop of its own: carry on for it.
                if (!arrivals.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref storing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                // Not cancelled with any one request: the others in the batch wait for the same statement.
                var stored = await StoreAndQueueAsync([.. batch.Select(a => a.Update)], CancellationToken.None);
                foreach (var arrival in batch)
                {
                    // The same update twice in one batch: the first is the new one.
                    arrival.Stored.TrySetResult(stored.Remove(arrival.Update.Id));
                }
            }
            catch (Exception e)
            {
                // The database is down (or worse): none of them is stored, and each request says so.
                foreach (var arrival in batch)
                {
                    arrival.Stored.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    private sealed record Arrival(Update Update, TaskCompletionSource<bool> Stored);
}
