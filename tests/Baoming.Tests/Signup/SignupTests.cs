using Baoming.Core.Understanding;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Signup;

/// <summary>Readers signing up by chat message, end to end: fake Bot API → real bot → real PostgreSQL.</summary>
public sealed class SignupTests : IAsyncLifetime
{
    private const long Reader = 5001;
    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<long> RegistrationsAsync(long? member = null) => bot.ScalarAsync<long>(
        "select count(*) from registrations where status <> 'cancelled' and (@member::bigint is null or member_id = @member)", new { member });

    [Theory]
    [InlineData("报名")]
    [InlineData("/start")]
    [InlineData("/signup")]
    [InlineData("我要报名")]
    [InlineData("報名")]
    [InlineData("　报名　")]
    public async Task Sending_a_signup_word_lists_the_open_sessions_with_one_button_each(string text)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.Contains("汽车产业的话题交流", reply.Text);
        var buttons = reply.Buttons();
        Assert.Equal(2, buttons.Count);
        Assert.Contains("汽车产业的话题交流", buttons[0].Text);
        Assert.Contains("到底什么是\"元宇宙\"", buttons[1].Text);
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task I_can_sign_up_by_pressing_a_session_button()
    {
        var list = await bot.AskAsync(Reader, "报名");

        var reply = await bot.PressAsync(Reader, list.Buttons()[1].CallbackData!);

        Assert.Contains("报名成功", reply.Text);
        Assert.Contains("到底什么是\"元宇宙\"", reply.Text);
        Assert.Contains("2月17日 周三 19:30（北京时间）", reply.Text);
        Assert.Equal(1, await RegistrationsAsync(Reader));
    }

    [Theory]
    [InlineData("报名 元宇宙", "metaverse")]
    [InlineData("报名元宇宙", "metaverse")]
    [InlineData("我要报名2月17日那场", "metaverse")]
    [InlineData("报名 2.17", "metaverse")]
    [InlineData("报名 2/17", "metaverse")]
    [InlineData("报名 17号", "metaverse")]
    [InlineData("报名 汽车", "auto")]
    [InlineData("报名 auto", "auto")]
    [InlineData("报名　汽车产业", "auto")]
    public async Task Signing_up_with_words_that_match_one_session_signs_up_at_once(string text, string key)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.Contains("报名成功", reply.Text);
        var signedUp = await bot.QueryAsync<string>(
            "select s.key from registrations r join sessions s on s.id = r.session_id where r.member_id = @Reader and r.status = 'confirmed'", new { Reader });
        Assert.Equal([key], signedUp);
    }

    [Fact]
    public async Task Words_that_match_several_sessions_offer_buttons_and_store_nothing()
    {
        await using var bot2 = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "ev", "电动车专场", new DateTimeOffset(2027, 2, 17, 15, 0, 0, TimeSpan.FromHours(8))));

        var reply = await bot2.AskAsync(Reader, "报名 2月17日");

        Assert.Contains("多个场次", reply.Text);
        Assert.Equal(2, reply.Buttons().Count);
        Assert.Equal(0, await bot2.ScalarAsync<long>("select count(*) from registrations"));
    }

    [Fact]
    public async Task Words_that_match_nothing_list_the_sessions_with_a_note()
    {
        var reply = await bot.AskAsync(Reader, "报名 区块链");

        Assert.Contains("没有找到", reply.Text);
        Assert.Contains("区块链", reply.Text);
        Assert.Equal(2, reply.Buttons().Count);
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task Signing_up_twice_says_so_and_stores_nothing_new()
    {
        await bot.AskAsync(Reader, "报名 元宇宙");

        var reply = await bot.AskAsync(Reader, "报名 元宇宙");

        Assert.Contains("已经报名", reply.Text);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader", new { Reader }));
    }

    [Fact]
    public async Task A_full_session_waitlists_and_a_cancellation_promotes_the_first_waitlisted_member()
    {
        await using var small = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "tiny", "小范围闭门会", new DateTimeOffset(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8)), capacity: 1, "闭门会"));
        const long First = 6001, Second = 6002, Third = 6003;

        Assert.Contains("报名成功", (await small.AskAsync(First, "报名 闭门会")).Text);
        var waitlisted = await small.AskAsync(Second, "报名 闭门会");
        var third = await small.AskAsync(Third, "报名 闭门会");

        Assert.Contains("候补", waitlisted.Text);
        Assert.Contains("第 1 位", waitlisted.Text);
        Assert.Contains("第 2 位", third.Text);

        var cancelled = await small.AskAsync(First, "取消报名");
        Assert.Contains("已取消", cancelled.Text);

        var promoted = await small.Telegram.WaitForMessageAsync(Second, m => m.Text.Contains("候补转为正式", StringComparison.Ordinal));
        Assert.Contains("小范围闭门会", promoted.Text);
        var statuses = await small.QueryAsync<(long, string)>(
            "select member_id, status from registrations order by member_id");
        Assert.Equal([(First, "cancelled"), (Second, "confirmed"), (Third, "waitlisted")], statuses);
        Assert.Contains("第 1 位", (await small.AskAsync(Third, "我的报名")).Text);
    }

    [Fact]
    public async Task Cancelling_with_several_sign_ups_offers_buttons_and_a_button_cancels_one()
    {
        await bot.AskAsync(Reader, "报名 汽车");
        await bot.AskAsync(Reader, "报名 元宇宙");

        var choice = await bot.AskAsync(Reader, "取消报名");
        Assert.Equal(2, choice.Buttons().Count);
        var cancelled = await bot.PressAsync(Reader, choice.Buttons()[0].CallbackData!);

        Assert.Contains("已取消", cancelled.Text);
        Assert.Contains("汽车产业的话题交流", cancelled.Text);
        Assert.Equal(1, await RegistrationsAsync(Reader));
    }

    [Fact]
    public async Task Cancelling_with_words_cancels_the_matching_sign_up()
    {
        await bot.AskAsync(Reader, "报名 汽车");
        await bot.AskAsync(Reader, "报名 元宇宙");

        var reply = await bot.AskAsync(Reader, "取消报名 元宇宙");

        Assert.Contains("已取消", reply.Text);
        var left = await bot.QueryAsync<string>(
            "select s.key from registrations r join sessions s on s.id = r.session_id where r.status = 'confirmed'");
        Assert.Equal(["auto"], left);
    }

    [Fact]
    public async Task Cancelling_with_nothing_signed_up_says_so()
    {
        var reply = await bot.AskAsync(Reader, "取消报名");

        Assert.Contains("没有报名任何场次", reply.Text);
    }

    [Fact]
    public async Task My_signups_lists_what_I_signed_up_for()
    {
        Assert.Contains("没有报名任何场次", (await bot.AskAsync(Reader, "我的报名")).Text);
        await bot.AskAsync(Reader, "报名 元宇宙");

        var reply = await bot.AskAsync(Reader, "我的报名");

        Assert.Contains("到底什么是\"元宇宙\"", reply.Text);
        Assert.Contains("已报名", reply.Text);
        Assert.DoesNotContain("汽车产业", reply.Text);
    }

    [Fact]
    public async Task A_deep_link_opens_onto_one_session()
    {
        var card = await bot.AskAsync(Reader, "/start metaverse");

        Assert.Contains("到底什么是\"元宇宙\"", card.Text);
        var button = Assert.Single(card.Buttons());
        Assert.Contains("到底什么是\"元宇宙\"", button.Text);
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, button.CallbackData!)).Text);
    }

    [Fact]
    public async Task A_deep_link_to_an_unknown_session_lists_the_sessions()
    {
        var reply = await bot.AskAsync(Reader, "/start nosuchsession");

        Assert.Equal(2, reply.Buttons().Count);
    }

    [Fact]
    public async Task Signup_in_a_group_answers_with_a_link_to_the_private_chat_and_nothing_personal()
    {
        const long Group = -100123;
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名 元宇宙", chatType: "supergroup", chatId: Group));

        var reply = await bot.Telegram.WaitForMessageAsync(Group);

        var button = Assert.Single(reply.Buttons());
        Assert.Equal("https://t.me/BaomingTestBot?start=metaverse-g100123", button.Url); // the group is the source
        Assert.DoesNotContain("报名成功", reply.Text);
        Assert.Equal(0, await RegistrationsAsync());
        Assert.DoesNotContain(bot.Telegram.SentMessages, m => m.ChatId == Reader);

        // Following the link: the session's card, and the registration keeps the group it came from.
        var card = await bot.AskAsync(Reader, "/start metaverse-g100123");
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, Assert.Single(card.Buttons()).CallbackData!)).Text);
        Assert.Equal("g100123", await bot.ScalarAsync<string>("select source from registrations where member_id = @Reader", new { Reader }));
    }

    [Fact]
    public async Task Other_text_in_a_group_is_ignored()
    {
        const long Group = -100124;
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "大家好", chatType: "group", chatId: Group));
        bot.Say(Reader, "报名");

        await bot.Telegram.WaitForMessageAsync(Reader);
        await bot.WaitUntilIdleAsync();

        Assert.DoesNotContain(bot.Telegram.SentMessages, m => m.ChatId == Group);
    }

    [Fact]
    public async Task A_member_whose_language_is_English_is_answered_in_English()
    {
        var list = await bot.AskAsync(Reader, "/signup", language: "en-US");
        Assert.Contains("Upcoming sessions", list.Text);

        var reply = await bot.PressAsync(Reader, list.Buttons()[0].CallbackData!, language: "en-US");

        Assert.Contains("You're signed up", reply.Text);
        Assert.Contains("Wed, Feb 10, 19:30 (Beijing time)", reply.Text);
    }

    [Fact]
    public async Task Pressing_the_same_button_twice_at_once_makes_one_registration()
    {
        var data = CallbackData.SignUp(await bot.SessionIdAsync("metaverse"));

        bot.Press(Reader, data);
        bot.Press(Reader, data);
        var replies = await bot.Telegram.WaitForMessagesAsync(Reader, 2);

        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader", new { Reader }));
        Assert.Single(replies, r => r.Text.Contains("报名成功", StringComparison.Ordinal));
        Assert.Single(replies, r => r.Text.Contains("已经报名", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_members_contesting_the_last_seat_get_one_seat_and_one_waitlist_place()
    {
        await using var small = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "tiny", "小范围闭门会", new DateTimeOffset(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8)), capacity: 1));
        var data = CallbackData.SignUp(await small.SessionIdAsync("tiny"));

        small.Press(7001, data);
        small.Press(7002, data);
        var first = await small.Telegram.WaitForMessageAsync(7001);
        var second = await small.Telegram.WaitForMessageAsync(7002);

        SentMessage[] replies = [first, second];
        Assert.Single(replies, r => r.Text.Contains("报名成功", StringComparison.Ordinal));
        Assert.Single(replies, r => r.Text.Contains("候补", StringComparison.Ordinal));
        var counts = await small.QueryAsync<(int, int)>("select confirmed_count, waitlisted_count from sessions where key = 'tiny'");
        Assert.Equal([(1, 1)], counts);
    }

    [Theory]
    [InlineData("su:999999")]
    [InlineData("su:-1")]
    [InlineData("su:1; drop table registrations")]
    [InlineData("nonsense")]
    [InlineData("cx:abc")]
    public async Task A_forged_or_stale_button_is_answered_and_stores_nothing(string data)
    {
        var id = bot.Press(Reader, data);

        var answer = await bot.Telegram.WaitForCallbackAnswerAsync(CallbackIdOf(id));
        await bot.WaitUntilIdleAsync();

        Assert.Contains("失效", answer.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from registrations"));
        Assert.DoesNotContain(bot.Telegram.SentMessages, m => m.ChatId == Reader);
    }

    [Fact]
    public async Task Forged_sign_up_buttons_for_sessions_that_do_not_exist_leave_nothing_behind()
    {
        var batcher = bot.Host.Services.GetRequiredService<Baoming.Signup.SignupBatcher>();
        var presses = Enumerable.Range(0, 200)
            .Select(i => bot.Press(600_000 + i, $"su:{Random.Shared.NextInt64(1_000_000, long.MaxValue)}"))
            .ToList();

        foreach (var id in presses)
        {
            Assert.Contains("失效", (await bot.Telegram.WaitForCallbackAnswerAsync(CallbackIdOf(id))).Text);
        }

        await bot.WaitUntilIdleAsync();
        Assert.Equal(0, batcher.QueueCount);
        Assert.Equal(0, await RegistrationsAsync());

        var list = await bot.AskAsync(Reader, "报名");
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, list.Buttons()[1].CallbackData!)).Text);
        Assert.Equal(1, batcher.QueueCount);
    }

    [Fact]
    public async Task A_sticker_gets_a_short_hint_and_stores_nothing()
    {
        bot.Telegram.EnqueueUpdate(FakeBotApi.StickerUpdate(Reader));

        var reply = await bot.Telegram.WaitForMessageAsync(Reader);

        Assert.Contains("文字消息", reply.Text);
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task A_4096_character_message_gets_a_short_answer()
    {
        var reply = await bot.AskAsync(Reader, new string('字', 4096));

        Assert.Contains("没看懂", reply.Text);
        Assert.True(reply.Text.Length < 200);
    }

    [Theory]
    [InlineData("报\u200B名 元宇宙")]
    [InlineData("\u202E报名 元宇宙\u202C")]
    [InlineData("报名 元宇宙 🎉🎉")]
    public async Task Odd_unicode_around_a_signup_still_signs_up(string text)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.Contains("报名成功", reply.Text);
        Assert.Equal(1, await RegistrationsAsync(Reader));
    }

    [Theory]
    [InlineData("🎉🎉🎉")]
    [InlineData("שלום עולם")]
    [InlineData("\u200B\u200B")]
    [InlineData("\uD83D")]
    public async Task Odd_unicode_alone_is_not_understood_and_stores_nothing(string text)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.Contains("没看懂", reply.Text);
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task A_message_with_no_sender_and_an_edited_message_are_ignored()
    {
        bot.Telegram.EnqueueUpdate(FakeBotApi.NoFromUpdate(-100200, "报名"));
        bot.Telegram.EnqueueUpdate(FakeBotApi.EditedMessageUpdate(Reader, "报名 元宇宙"));
        await bot.AskAsync(Reader, "我的报名");
        await bot.WaitUntilIdleAsync();

        Assert.Single(bot.Telegram.SentMessages);
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task A_replayed_update_id_is_handled_once()
    {
        var update = FakeBotApi.TextUpdate(Reader, "报名 元宇宙");
        var id = bot.Telegram.EnqueueUpdate(update);
        await bot.Telegram.WaitForMessageAsync(Reader);
        await bot.Telegram.WaitUntilConfirmedAsync(id);

        bot.Telegram.EnqueueUpdate(update.Replace("{", $"{{\"update_id\":{id},", StringComparison.Ordinal).Replace($"\"update_id\":{id},\"update_id\"", $"\"update_id\"", StringComparison.Ordinal));
        await bot.AskAsync(Reader, "我的报名");
        await bot.WaitUntilIdleAsync();

        Assert.Equal(2, bot.Telegram.SentMessages.Count(m => m.ChatId == Reader));
        Assert.Equal(1, await RegistrationsAsync(Reader));
    }

    [Fact]
    public async Task At_start_up_the_bot_sets_its_command_menu_in_Chinese_and_English()
    {
        await bot.AskAsync(Reader, "报名");

        Assert.Contains(bot.Telegram.Commands, c => c.LanguageCode is null or "" && c.Commands.Any(x => x.Description.Contains("报名", StringComparison.Ordinal)));
        Assert.Contains(bot.Telegram.Commands, c => c.LanguageCode == "en" && c.Commands.Any(x => x.Command == "signup"));
    }

    private static string CallbackIdOf(int updateId) => FakeBotApi.CallbackQueryIdFor(updateId);
}
