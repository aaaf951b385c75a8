using System.Text.Json;
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
    /// <summary>Stores the updates; returns how many were new (a re-delivered update is stored and handled once).</summary>
    public async Task<int> AcceptAsync(IReadOnlyList<Update> updates, CancellationToken cancellationToken)
    {
        var items = updates.Select(u => new InboxItem(u.Id, UpdateMapper.ChatIdOf(u), JsonSerializer.Serialize(u, JsonBotAPI.Options))).ToList();
        var senders = updates.Select(UpdateMapper.SenderOf).OfType<MemberProfile>().ToList();
        var stored = (await inbox.StoreAsync(items, senders, cancellationToken)).ToHashSet();
        foreach (var item in items.Where(i => stored.Contains(i.UpdateId)))
        {
            await processor.EnqueueAsync(item, cancellationToken);
        }

        return stored.Count;
    }
}
