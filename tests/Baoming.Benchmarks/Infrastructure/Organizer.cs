using System.Diagnostics;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// The organizer's side of a broadcast, through the chat as Telegram would deliver it: /broadcast → a session's
/// confirmed members → the text → 立即发送. Each step waits for the bot's answer, and then <see cref="Think"/>, before the next.
/// </summary>
internal sealed class Organizer
{
    public const long Id = 4_000_000_000;

    private readonly List<BotMessage> messages = [];

    /// <summary>How long the organizer reads each answer before the next step (default: not at all).</summary>
    public TimeSpan Think { get; init; }

    /// <summary>Keeps <paramref name="message"/> if it went to the organizer; false if it went to someone else.</summary>
    public bool Take(BotMessage message)
    {
        if (message.ChatId != Id)
        {
            return false;
        }

        lock (messages)
        {
            messages.Add(message);
        }

        return true;
    }

    /// <summary>Drafts a broadcast to the confirmed members of <paramref name="sessionId"/>; returns its 立即发送 button's callback data.</summary>
    public async Task<string> DraftAsync(IUpdateFeed updates, long sessionId, IReadOnlyList<ChildProcess> bots, CancellationToken ct)
    {
        await SayAsync(updates, TextUpdate("/broadcast"), bots, ct);
        await SayAsync(updates, CallbackUpdate($"ba:c:{sessionId}"), bots, ct);
        var preview = await SayAsync(updates, TextUpdate(BroadcastBench.Text), bots, ct, count: 2);
        return preview.SelectMany(m => m.CallbackData).FirstOrDefault(d => d.StartsWith("bs:", StringComparison.Ordinal) && d.EndsWith(":now", StringComparison.Ordinal))
            ?? throw new BenchmarkFailedException("no 立即发送 button: " + string.Join(" | ", preview.Select(m => m.Text)));
    }

    /// <summary>After <see cref="Think"/>, presses each 立即发送 (from <see cref="DraftAsync"/>) at once.</summary>
    public async Task SendAsync(IUpdateFeed updates, IReadOnlyList<string> sendNow, CancellationToken ct)
    {
        await Task.Delay(Think, ct);
        foreach (var button in sendNow)
        {
            updates.Offer(CallbackUpdate(button));
        }
    }

    /// <summary>Offers an update from the organizer and waits for the bot's next <paramref name="count"/> messages to them.</summary>
    private async Task<IReadOnlyList<BotMessage>> SayAsync(IUpdateFeed updates, string update, IReadOnlyList<ChildProcess> bots, CancellationToken ct, int count = 1)
    {
        await Task.Delay(Think, ct);
        int before;
        lock (messages)
        {
            before = messages.Count;
        }

        var id = updates.Offer(update);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            lock (messages)
            {
                if (messages.Count >= before + count)
                {
                    return messages.Skip(before).ToList();
                }
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new BenchmarkFailedException($"the bot did not answer the organizer within 30 s ({count} messages expected after update {id}); its last lines:\n{Bot.Tails(bots)}");
            }

            await Task.Delay(20, ct);
        }
    }

    private static string TextUpdate(string text) =>
        $$$"""
        "message":{"message_id":1,"from":{"id":{{{Id}}},"is_bot":false,"first_name":"组织者","language_code":"zh-hans"},"chat":{"id":{{{Id}}},"first_name":"组织者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"{{{text}}}"}}
        """;

    private static string CallbackUpdate(string data) =>
        $$$"""
        "callback_query":{"id":"{{{Guid.NewGuid():N}}}","from":{"id":{{{Id}}},"is_bot":false,"first_name":"组织者","language_code":"zh-hans"},"message":{"message_id":2,"from":{"id":{{{LeanBotApi.BotId}}},"is_bot":true,"first_name":"报名助手","username":"{{{LeanBotApi.BotUsername}}}"},"chat":{"id":{{{Id}}},"first_name":"组织者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"…"},"chat_instance":"-1","data":"{{{data}}}"}}
        """;
}
