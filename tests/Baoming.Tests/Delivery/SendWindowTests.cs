using System.Globalization;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Messaging;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Delivery;

/// <summary>
/// The rate limiter at the moment of each send: a sender stalled between its slot and the socket must not
/// release a burst that puts more than the limit into one second of arrivals at the Bot API.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class SendWindowTests
{
    private const int Limit = 40;
    private const int Sends = 160;
    private const long FirstChat = 70_000;

    [Fact]
    public async Task Sends_held_up_after_their_slot_never_put_more_than_the_limit_into_one_second()
    {
        await using var bot = await BotHarness.StartAsync(
            new Dictionary<string, string?> { ["Telegram:MaxMessagesPerSecond"] = Limit.ToString(CultureInfo.InvariantCulture) },
            realTime: true);
        var limiter = bot.Host.Services.GetRequiredService<RateLimiter>();
        var messenger = bot.Host.Services.GetRequiredService<IMessenger>();

        // From 1.5 s in, every send that has its slot and permit waits for a gate that opens 0.8 s later, then
        // all go at once: a stall between the limiter and the socket (a GC, a starved thread pool). Before the
        // permit was held until the answer, the ~30 sends held up arrived together with the next second's.
        var started = DateTimeOffset.UtcNow;
        var stallFrom = started + TimeSpan.FromSeconds(1.5);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        _ = Task.Delay(TimeSpan.FromSeconds(2.3)).ContinueWith(_ => gate.TrySetResult(), TaskScheduler.Default);

        async Task SendAsync(RateLimiter.Reservation reservation, int index, long chat)
        {
            using var permit = await limiter.WaitForSlotAsync(reservation, index, CancellationToken.None);
            if (DateTimeOffset.UtcNow >= stallFrom && !gate.Task.IsCompleted)
            {
                Interlocked.Increment(ref held);
                await gate.Task;
            }

            await messenger.SendAsync(new Outgoing(chat, Reply.Plain($"第 {chat} 条")), CancellationToken.None);
        }

        // As the fan-out does: a reservation of BatchSize slots at a time, the next one made as its first slot comes.
        List<Task> sends = [];
        var chat = FirstChat;
        while (chat < FirstChat + Sends)
        {
            var count = (int)Math.Min(limiter.BatchSize, FirstChat + Sends - chat);
            var reservation = await limiter.ReserveAsync(count, CancellationToken.None);
            await reservation.StartAsync(TimeSpan.Zero, CancellationToken.None);
            for (var i = 0; i < count; i++)
            {
                sends.Add(SendAsync(reservation, i, chat++));
            }
        }

        await Task.WhenAll(sends);
        await bot.Telegram.WaitForSentCountAsync(Sends, TimeSpan.FromSeconds(10));

        Assert.True(held >= 20, $"only {held} sends were held up: the stall was not tested");
        var arrivals = bot.Telegram.SentMessages.Where(m => m.ChatId >= FirstChat).Select(m => m.SentAt).Order().ToList();
        Assert.Equal(Sends, arrivals.Count);
        Assert.Equal(Sends, bot.Telegram.SentMessages.Where(m => m.ChatId >= FirstChat).Select(m => m.ChatId).Distinct().Count());
        var worst = 0;
        var from = 0;
        for (var to = 0; to < arrivals.Count; to++)
        {
            while (arrivals[to] - arrivals[from] >= TimeSpan.FromSeconds(1))
            {
                from++;
            }

            worst = Math.Max(worst, to - from + 1);
        }

        Assert.True(worst <= Limit, $"{worst} messages arrived within one second at a limit of {Limit}/s");

        // The stall costs what it lasted, not more: the rest still goes out near the limit.
        var seconds = (arrivals[^1] - arrivals[0]).TotalSeconds;
        Assert.True(seconds < (Sends / (Limit * RateLimiter.Headroom)) + 3, $"{Sends} sends took {seconds:0.0} s");
    }
}
