using System.Collections.Concurrent;
using System.Globalization;
using Baoming.Delivery;
using Baoming.Reminders;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Delivery;

/// <summary>
/// A 5xx from Telegram's edge may come after the message was delivered: it is recorded as unknown and
/// never sent again. Only answers that prove nothing was accepted are retried or final.
/// </summary>
public sealed class UnknownAnswerTests : IAsyncDisposable
{
    private const long Organizer = 900;
    private const long FirstMember = 100_000;

    private BotHarness bot = null!;

    public async ValueTask DisposeAsync() => await bot.DisposeAsync();

    /// <summary>The first sendMessage to each chat in <paramref name="faults"/> gets its failure; later ones go through.</summary>
    private void FailFirstSendTo(Dictionary<long, FakeFailure> faults)
    {
        var failed = new ConcurrentDictionary<long, bool>();
        bot.Telegram.Fault = call =>
            call is { Method: "sendMessage", ChatId: { } chat } && faults.TryGetValue(chat, out var failure) && failed.TryAdd(chat, true)
                ? failure
                : null;
    }

    [Fact]
    public async Task A_reminder_answered_with_a_5xx_after_it_was_delivered_is_recorded_unknown_and_not_sent_again()
    {
        var settings = BotHarness.ExtraSession(2, "edge", "网关出错的活动", BotHarness.Now.AddDays(1));
        settings["Sessions:2:ReminderOffsets:0"] = "01:00:00";
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        bot = await BotHarness.StartAsync(settings);
        await ReminderData.SignUpAsync(bot.ConnectionString, "edge", Enumerable.Range(0, 10).Select(i => FirstMember + i));
        var (slot, dueAt) = (await bot.QueryAsync<(long, DateTime)>("select id, due_at from reminder_slots where session_id = (select id from sessions where key = 'edge')")).Single();
        var due = new DateTimeOffset(DateTime.SpecifyKind(dueAt, DateTimeKind.Utc));
        bot.Time.SetUtcNow(due);
        var topic = ReminderTopic.Key(slot, due);
        FailFirstSendTo(new Dictionary<long, FakeFailure>
        {
            // nginx's HTML 502 (a RequestException with HttpStatusCode 502) and Telegram's JSON 502 / 504.
            [FirstMember] = FakeFailure.BadGateway() with { AfterProcessing = true },
            [FirstMember + 1] = new FakeFailure(502, "Bad Gateway") { AfterProcessing = true },
            [FirstMember + 2] = new FakeFailure(504, "Gateway Timeout") { AfterProcessing = true },
            // A refusal proves nothing was accepted: final, not retried.
            [FirstMember + 3] = FakeFailure.ChatNotFound(),
        });

        var stats = await bot.Host.Services.GetRequiredService<FanOut>().RunAsync(topic, null, CancellationToken.None);

        for (var member = FirstMember; member < FirstMember + 3; member++)
        {
            Assert.Single(bot.Telegram.MessagesTo(member));
            Assert.Equal("unknown", await bot.ScalarAsync<string>("select state from deliveries where topic = @topic and member_id = @member", new { topic = topic.ToString(), member }));
        }

        Assert.Empty(bot.Telegram.MessagesTo(FirstMember + 3));
        Assert.Equal("failed", await bot.ScalarAsync<string>("select state from deliveries where topic = @topic and member_id = @member", new { topic = topic.ToString(), member = FirstMember + 3 }));
        Assert.Equal(new DeliveryStats(0, 6, 0, 1, 3), stats);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_chat_reply_answered_with_a_502_after_it_was_delivered_is_not_sent_again(bool isHtml)
    {
        const long Reader = 5001;
        bot = await BotHarness.StartAsync();
        FailFirstSendTo(new Dictionary<long, FakeFailure>
        {
            [Reader] = (isHtml ? FakeFailure.BadGateway() : new FakeFailure(502, "Bad Gateway")) with { AfterProcessing = true },
        });

        bot.Say(Reader, "/whoami");
        await bot.Telegram.WaitForMessageAsync(Reader);
        await bot.WaitUntilIdleAsync();
        // A resend would follow the 502 after a second's back-off.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Single(bot.Telegram.MessagesTo(Reader));
    }
}
