using System.Globalization;
using System.Net;
using Baoming.Storage;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Baoming.Tests.Telegram;

/// <summary>
/// Updates Telegram.Bot can read but not write back, or that PostgreSQL will not store as they came
/// (issue 12): the bot stores or skips each one, answers the members before and after it, and keeps
/// running. Telegram must never be left re-sending one (no stuck offset, no 500 to the webhook).
/// </summary>
public sealed class PoisonUpdateTests
{
    // The kinds of poison, as the theories show them.
    private const string UnknownEntity = "an entity of a type Telegram.Bot does not know";
    private const string StickerWithoutType = "a sticker without its type";
    private const string NulInText = "text holding U+0000";
    private const string NulInName = "a display name holding U+0000";
    private const string FutureUpdateKind = "an update kind from a future Bot API";
    private const string FutureMessageFields = "a message with fields from a future Bot API";

    private const long MemberA = 12_001;
    private const long Poisoner = 12_002;
    private const long MemberB = 12_003;
    private const long MemberC = 12_004;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static int messageId = 900_000;

    private static readonly string[] AllKinds =
    [
        UnknownEntity,
        StickerWithoutType,
        NulInText,
        NulInName,
        FutureUpdateKind,
        FutureMessageFields,
    ];

    public static TheoryData<string> Kinds => [.. AllKinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_poison_update_between_two_sign_ups_is_confirmed_and_the_polling_bot_keeps_answering(string kind)
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync();
        var telegram = bot.Telegram;
        await telegram.WaitForGetUpdatesCallAsync(timeout: Wait);

        // Act: arriving together, the three are usually fetched in one batch.
        telegram.EnqueueUpdate(FakeBotApi.TextUpdate(MemberA, "报名 元宇宙"));
        telegram.EnqueueUpdate(Poison(kind, Poisoner));
        var last = telegram.EnqueueUpdate(FakeBotApi.TextUpdate(MemberB, "报名 元宇宙"));

        // Assert
        await ReplyAsync(bot, MemberA, IsConfirmation);
        await ReplyAsync(bot, MemberB, IsConfirmation);
        await WhileRunningAsync(bot, telegram.WaitUntilConfirmedAsync(last, Wait), $"update {last} (the batch holding the poison) to be confirmed");
        if (CanBeAnswered(kind))
        {
            await ReplyAsync(bot, Poisoner);
        }

        bot.Say(MemberC, "报名 元宇宙");
        await ReplyAsync(bot, MemberC, IsConfirmation);
        await bot.WaitUntilIdleAsync(Wait);
        Assert.Single(telegram.MessagesTo(MemberA), IsConfirmation);
        Assert.Single(telegram.MessagesTo(MemberB), IsConfirmation);
        AssertRunning(bot);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_poison_update_between_two_sign_ups_gets_a_2xx_and_the_webhook_bot_keeps_answering(string kind)
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());
        await bot.WaitUntilReadyAsync();

        // Act
        var first = await bot.PostUpdateAsync(SignUp(MemberA));
        var poison = await bot.PostUpdateAsync(BotHarness.WithId(Poison(kind, Poisoner), BotHarness.NewUpdateId()));
        var second = await bot.PostUpdateAsync(SignUp(MemberB));

        // Assert
        Assert.Equal(HttpStatusCode.OK, first);
        // Anything but a 2xx and Telegram delivers the update again, for ever.
        Assert.True((int)poison is >= 200 and < 300, $"The poison update was answered {(int)poison} {poison}. {FirstError(bot)}");
        Assert.Equal(HttpStatusCode.OK, second);
        await ReplyAsync(bot, MemberA, IsConfirmation);
        await ReplyAsync(bot, MemberB, IsConfirmation);
        if (CanBeAnswered(kind))
        {
            await ReplyAsync(bot, Poisoner);
        }

        Assert.Equal(HttpStatusCode.OK, await bot.PostUpdateAsync(SignUp(MemberC)));
        await ReplyAsync(bot, MemberC, IsConfirmation);
        await bot.WaitUntilIdleAsync(Wait);
        Assert.Single(bot.Telegram.MessagesTo(MemberA), IsConfirmation);
        Assert.Single(bot.Telegram.MessagesTo(MemberB), IsConfirmation);
        AssertRunning(bot);
    }

    [Fact]
    public async Task After_every_kind_of_poison_a_restarted_bot_starts_and_handles_nothing_twice()
    {
        // Arrange: each kind of poison between two sign-ups, one after another, on one bot.
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var delivered = new List<long>();
        var members = new List<long>();
        var poisoners = new List<long>();
        long registrations;
        await using (var bot = await BotHarness.StartAsync(telegram: telegram, connectionString: database))
        {
            for (var i = 0; i < AllKinds.Length; i++)
            {
                long a = 12_100 + (10 * i), p = a + 1, b = a + 2;
                members.AddRange([a, b]);
                poisoners.Add(p);
                delivered.Add(bot.Say(a, "报名 元宇宙"));
                delivered.Add(telegram.EnqueueUpdate(Poison(AllKinds[i], p)));
                delivered.Add(bot.Say(b, "报名 元宇宙"));
                await ReplyAsync(bot, b, IsConfirmation);
            }

            await WhileRunningAsync(bot, telegram.WaitUntilConfirmedAsync((int)delivered[^1], Wait), "every update to be confirmed");
            await bot.WaitUntilIdleAsync(Wait);
            registrations = await bot.ScalarAsync<long>("select count(*) from registrations");
        }

        var sentBefore = members.Concat(poisoners).ToDictionary(m => m, m => telegram.MessagesTo(m).Count);

        // Act
        await using var restarted = await BotHarness.StartAsync(telegram: telegram, connectionString: database);
        delivered.Add(restarted.Say(MemberC, "报名 元宇宙"));

        // Assert
        await ReplyAsync(restarted, MemberC, IsConfirmation);
        await restarted.WaitUntilIdleAsync(Wait);
        foreach (var member in members)
        {
            Assert.Single(telegram.MessagesTo(member), IsConfirmation);
        }

        Assert.Equal(sentBefore, members.Concat(poisoners).ToDictionary(m => m, m => telegram.MessagesTo(m).Count));
        Assert.Equal(registrations + 1, await restarted.ScalarAsync<long>("select count(*) from registrations"));
        Assert.Equal(delivered.Order(), await restarted.QueryAsync<long>("select update_id from inbox order by update_id"));
        Assert.Equal(0, await restarted.ScalarAsync<long>("select count(*) from inbox where processed_at is null"));
        AssertRunning(restarted);
    }

    [Fact]
    public async Task The_inbox_keeps_an_update_as_Telegram_sent_it_without_its_NULs_until_it_is_handled()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());
        await bot.WaitUntilReadyAsync();
        int futureKind = BotHarness.NewUpdateId(), futureFields = BotHarness.NewUpdateId(), nul = BotHarness.NewUpdateId();
        // The chats' turns are held here, so the updates wait unhandled as stored: the unknown kind is
        // ordered as chat 0, the rest in the poisoner's chat.
        await using var turns = new NpgsqlConnection(bot.ConnectionString);
        await turns.OpenAsync();
        var (noChat, poisonerChat) = (AdvisoryLocks.ChatTurn(0), AdvisoryLocks.ChatTurn(Poisoner));
        await turns.ExecuteAsync(
            "select pg_advisory_lock(@H0, @L0), pg_advisory_lock(@H1, @L1)",
            new { H0 = noChat.High, L0 = noChat.Low, H1 = poisonerChat.High, L1 = poisonerChat.Low });

        // Act
        await bot.PostUpdateAsync(BotHarness.WithId(Poison(FutureUpdateKind, Poisoner), futureKind));
        await bot.PostUpdateAsync(BotHarness.WithId(Poison(FutureMessageFields, Poisoner), futureFields));
        await bot.PostUpdateAsync(BotHarness.WithId(Poison(NulInText, Poisoner), nul));

        // Assert
        Assert.Equal(3, await bot.ScalarAsync<long>("select count(*) from inbox where update_id in (@futureKind, @futureFields, @nul) and processed_at is null", new { futureKind, futureFields, nul }));
        Assert.True(await bot.ScalarAsync<bool>(
            """select coalesce((select payload->'brand_new_update' = '{"x":1}'::jsonb from inbox where update_id = @futureKind), false)""", new { futureKind }),
            "The inbox lost the update kind it does not know.");
        Assert.True(await bot.ScalarAsync<bool>(
            """
            select coalesce((select payload->'message'->'future_field' = '[1,2]'::jsonb
                                and payload->'message'->'from'->'has_future_badge' = 'true'::jsonb
                               from inbox where update_id = @futureFields), false)
            """,
            new { futureFields }),
            "The inbox lost the message's fields it does not know.");
        Assert.Equal("报名 元宇宙", await bot.ScalarAsync<string?>("select payload->'message'->>'text' from inbox where update_id = @nul", new { nul }));

        // Handled, they keep what they were, not what they said (issue 16 item 7).
        await turns.ExecuteAsync("select pg_advisory_unlock_all()");
        await bot.WaitUntilIdleAsync(Wait);
        Assert.Equal(
            ["brand_new_update", "message", "message"],
            await bot.QueryAsync<string>("select payload->>'kind' from inbox where update_id in (@futureKind, @futureFields, @nul) order by update_id", new { futureKind, futureFields, nul }));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from inbox where payload::text like '%元宇宙%' or payload::text like '%future%'"));
    }

    // ---------------------------------------------------------------- updates, in Telegram's shape

    private static string SignUp(long member) => BotHarness.WithId(FakeBotApi.TextUpdate(member, "报名 元宇宙"), BotHarness.NewUpdateId());

    /// <summary>An update of <paramref name="kind"/> from <paramref name="member"/>, without update_id.</summary>
    private static string Poison(string kind, long member) => kind switch
    {
        // Telegram.Bot reads an unknown enum value as 0, then cannot write 0 back.
        UnknownEntity => PrivateMessage(member, """
            "text":"报名 元宇宙","entities":[{"type":"brand_new_entity","offset":0,"length":2}]
            """),
        StickerWithoutType => PrivateMessage(member, """
            "sticker":{"file_id":"CAACAgIAAxkBAAEBfakeStickerFileId","file_unique_id":"AgADfakeSticker","width":512,"height":512,"emoji":"👍","is_animated":false,"is_video":false}
            """),
        // The six characters \u0000 in the JSON: PostgreSQL's jsonb and text refuse the character.
        NulInText => PrivateMessage(member, """
            "text":"报名\u0000 元宇宙"
            """),
        NulInName => PrivateMessage(member, """
            "text":"报名 元宇宙"
            """, firstName: """读\u0000者"""),
        FutureUpdateKind => """{"brand_new_update":{"x":1}}""",
        FutureMessageFields => PrivateMessage(member, """
            "text":"报名 元宇宙","paid_star_reaction":{"star_count":5,"is_anonymous":false},"future_field":[1,2]
            """, userFields: ""","has_future_badge":true"""),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Poison a member can be answered to: a text message in their private chat.</summary>
    private static bool CanBeAnswered(string kind) => kind is UnknownEntity or NulInText or NulInName or FutureMessageFields;

    /// <summary>A message in <paramref name="member"/>'s private chat; <paramref name="content"/> is its text, sticker, ... as JSON members.</summary>
    private static string PrivateMessage(long member, string content, string firstName = "读者", string userFields = "") =>
        string.Create(CultureInfo.InvariantCulture, $$$"""
            {"message":{"message_id":{{{Interlocked.Increment(ref messageId)}}},"from":{"id":{{{member}}},"is_bot":false,"first_name":"{{{firstName}}}","language_code":"zh-hans"{{{userFields}}}},"chat":{"id":{{{member}}},"first_name":"{{{firstName}}}","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},{{{content.Trim()}}}}}
            """);

    // ---------------------------------------------------------------- waiting on a bot that may die

    private static bool IsConfirmation(SentMessage message) => message.Text.Contains("报名成功", StringComparison.Ordinal);

    /// <summary>The first message to <paramref name="chatId"/> (matching <paramref name="predicate"/>); fails at once if the bot host stops first.</summary>
    private static async Task<SentMessage> ReplyAsync(BotHarness bot, long chatId, Func<SentMessage, bool>? predicate = null)
    {
        var reply = bot.Telegram.WaitForMessageAsync(chatId, predicate, Wait);
        await WhileRunningAsync(bot, reply, $"an answer to chat {chatId}");
        return await reply;
    }

    /// <summary>Awaits <paramref name="waiting"/>, failing at once, with the bot's first error, if the bot host stops meanwhile.</summary>
    private static async Task WhileRunningAsync(BotHarness bot, Task waiting, string what)
    {
        await Task.WhenAny(waiting, Task.Delay(Timeout.Infinite, Stopping(bot)));
        if (!waiting.IsCompleted)
        {
            Assert.Fail($"The bot host stopped while waiting for {what}. {FirstError(bot)}");
        }

        try
        {
            await waiting;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} {FirstError(bot)}", e);
        }
    }

    private static void AssertRunning(BotHarness bot) =>
        Assert.False(Stopping(bot).IsCancellationRequested, $"The bot host is stopping. {FirstError(bot)}");

    private static CancellationToken Stopping(BotHarness bot) =>
        bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    private static string FirstError(BotHarness bot)
    {
        var error = bot.Logs.Lines.FirstOrDefault(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
        return error is null ? "The bot logged no error." : "First error logged: " + (error.Length > 600 ? error[..600] + "…" : error);
    }
}
