using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Baoming.Tests.Fakes;

/// <summary>The fake Bot API, exercised through the real Telegram.Bot client over real HTTP.</summary>
public sealed class FakeBotApiTests : IAsyncLifetime
{
    private const long Reader = 10_001;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private FakeBotApi fake = null!;
    private TelegramBotClient bot = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeBotApi.StartAsync();
        bot = new TelegramBotClient(new TelegramBotClientOptions(FakeBotApi.Token, fake.BaseUrl) { RetryThreshold = 0 }, Http);
    }

    public async Task DisposeAsync()
    {
        await fake.DisposeAsync();
    }

    [Fact]
    public async Task I_can_call_getMe_through_the_real_client()
    {
        var me = await bot.GetMe();

        Assert.Equal(FakeBotApi.BotId, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("BaomingTestBot", me.Username);
        Assert.Equal("Baoming", me.FirstName);
        Assert.StartsWith("http://127.0.0.1:", fake.BaseUrl, StringComparison.Ordinal);
        Assert.Empty(fake.ForeignTokens);
    }

    [Fact]
    public async Task I_can_receive_an_update_through_the_real_client()
    {
        var id = fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名 元宇宙 🚗 مرحبا \"quoted\"", firstName: "小明", username: "xiaoming"));

        var updates = await bot.GetUpdates(timeout: 1);

        var update = Assert.Single(updates);
        Assert.Equal(id, update.Id);
        Assert.Equal(UpdateType.Message, update.Type);
        var message = update.Message!;
        Assert.Equal("报名 元宇宙 🚗 مرحبا \"quoted\"", message.Text);
        Assert.Equal(Reader, message.From!.Id);
        Assert.False(message.From.IsBot);
        Assert.Equal("小明", message.From.FirstName);
        Assert.Equal("xiaoming", message.From.Username);
        Assert.Equal("zh-hans", message.From.LanguageCode);
        Assert.Equal(Reader, message.Chat.Id);
        Assert.Equal(ChatType.Private, message.Chat.Type);
        Assert.True(message.Id > 0);
        Assert.True((DateTime.UtcNow - message.Date).Duration() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_command_update_carries_a_bot_command_entity_and_a_group_update_a_group_chat()
    {
        fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "/start session_0217", languageCode: "en"));
        fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名", chatType: "supergroup", chatId: -1_001_234_567_890));

        var updates = await bot.GetUpdates();

        Assert.Equal(2, updates.Length);
        var command = updates[0].Message!;
        Assert.Equal("en", command.From!.LanguageCode);
        var entity = Assert.Single(command.Entities!);
        Assert.Equal(MessageEntityType.BotCommand, entity.Type);
        Assert.Equal("/start".Length, entity.Length);
        Assert.Equal(-1_001_234_567_890, updates[1].Message!.Chat.Id);
        Assert.Equal(ChatType.Supergroup, updates[1].Message!.Chat.Type);
    }

    [Fact]
    public async Task An_offset_confirms_the_updates_below_it()
    {
        var first = fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "一"));
        var second = fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "二"));
        var third = fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "三"));
        Assert.Equal([first + 1, first + 2], new[] { second, third });

        Assert.Equal(3, (await bot.GetUpdates()).Length);
        Assert.Equal(3, (await bot.GetUpdates()).Length); // unconfirmed updates come again

        var rest = await bot.GetUpdates(offset: second + 1);
        Assert.Equal(third, Assert.Single(rest).Id);
        await fake.WaitUntilConfirmedAsync(second, TimeSpan.FromSeconds(1));
        Assert.Equal(1, fake.PendingUpdates);

        Assert.Empty(await bot.GetUpdates(offset: third + 1));
        await fake.WaitUntilConfirmedAsync(third, TimeSpan.FromSeconds(1));
        Assert.Equal(4, fake.GetUpdatesCalls);
    }

    [Fact]
    public async Task The_limit_caps_a_batch_and_an_explicit_update_id_is_kept()
    {
        for (var i = 0; i < 5; i++)
            fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, $"#{i}"));
        var batch = await bot.GetUpdates(limit: 2);
        Assert.Equal(["#0", "#1"], batch.Select(u => u.Message!.Text));

        var all = await bot.GetUpdates(offset: batch[^1].Id + 1);
        Assert.Equal(3, all.Length);
        var last = all[^1].Id;
        Assert.Empty(await bot.GetUpdates(offset: last + 1));

        // A replayed (already confirmed) id still reaches the bot, so deduplication can be tested.
        var replay = FakeBotApi.TextUpdate(Reader, "again");
        var replayed = JsonNode.Parse(replay)!.AsObject();
        replayed["update_id"] = last;
        Assert.Equal(last, fake.EnqueueUpdate(replayed.ToJsonString()));
        var again = await bot.GetUpdates(offset: last + 1);
        Assert.Equal(last, Assert.Single(again).Id);
        Assert.Equal("again", again[0].Message!.Text);
    }

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_an_update_arrives()
    {
        var stopwatch = Stopwatch.StartNew();
        var poll = bot.GetUpdates(timeout: 20);
        await fake.WaitForGetUpdatesCallAsync();

        var id = fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名"));
        var updates = await poll;

        Assert.Equal(id, Assert.Single(updates).Id);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_with_nothing_to_deliver_times_out_empty()
    {
        var stopwatch = Stopwatch.StartNew();
        var updates = await bot.GetUpdates(timeout: 1);

        Assert.Empty(updates);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_second_concurrent_getUpdates_terminates_the_first_with_409()
    {
        var first = bot.GetUpdates(timeout: 20);
        await fake.WaitForGetUpdatesCallAsync(1);
        var second = bot.GetUpdates(timeout: 1);

        var conflict = await Assert.ThrowsAsync<ApiRequestException>(() => first);
        Assert.Equal(409, conflict.ErrorCode);
        Assert.Contains("terminated by other getUpdates request", conflict.Message, StringComparison.Ordinal);
        Assert.Empty(await second);
    }

    [Fact]
    public async Task getUpdates_while_a_webhook_is_set_is_a_409_conflict()
    {
        await bot.SetWebhook(url: "https://bot.example.com/telegram", secretToken: "s3cret_-token", dropPendingUpdates: true);
        Assert.Equal("https://bot.example.com/telegram", fake.Webhook!.Url);
        Assert.Equal("s3cret_-token", fake.Webhook.SecretToken);
        Assert.Equal("https://bot.example.com/telegram", (await bot.GetWebhookInfo()).Url);

        var conflict = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates());
        Assert.Equal(409, conflict.ErrorCode);
        Assert.Equal("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", conflict.Message);

        await bot.DeleteWebhook();
        Assert.Null(fake.Webhook);
        Assert.Empty(await bot.GetUpdates());
    }

    [Fact]
    public async Task A_sent_message_with_an_inline_keyboard_is_recorded_with_its_buttons()
    {
        var keyboard = new InlineKeyboardMarkup(
        [
            [InlineKeyboardButton.WithCallbackData("汽车产业的话题交流", "s:1"), InlineKeyboardButton.WithCallbackData("到底什么是\"元宇宙\"", "s:2")],
            [InlineKeyboardButton.WithUrl("私聊报名", "https://t.me/BaomingTestBot?start=s_2")],
        ]);

        var sent = await bot.SendMessage(chatId: Reader, text: "请选择场次：", replyMarkup: keyboard);
        var second = await bot.SendMessage(chatId: Reader, text: "<b>第二条</b> &amp; 更多", parseMode: ParseMode.Html);

        Assert.Equal(Reader, sent.Chat.Id);
        Assert.Equal(FakeBotApi.BotId, sent.From!.Id);
        Assert.Equal(sent.Id + 1, second.Id);
        Assert.Equal("第二条 & 更多", second.Text); // Telegram returns the text after entity parsing
        Assert.Equal("s:2", sent.ReplyMarkup!.InlineKeyboard.First().Last().CallbackData);

        var recorded = await fake.WaitForMessageAsync(Reader, m => m.ReplyMarkup is not null);
        Assert.Equal(sent.Id, recorded.MessageId);
        Assert.Equal("请选择场次：", recorded.Text);
        Assert.Equal(2, recorded.ReplyMarkup!.Count);
        Assert.Equal(new FakeButton("汽车产业的话题交流", "s:1", null), recorded.ReplyMarkup[0][0]);
        Assert.Equal(new FakeButton("到底什么是\"元宇宙\"", "s:2", null), recorded.ReplyMarkup[0][1]);
        Assert.Equal(new FakeButton("私聊报名", null, "https://t.me/BaomingTestBot?start=s_2"), recorded.ReplyMarkup[1][0]);

        var both = await fake.WaitForMessagesAsync(Reader, 2);
        Assert.Equal("Html", both[1].ParseMode); // Telegram.Bot 22 writes "Html"; Telegram accepts any case
        Assert.Equal("<b>第二条</b> &amp; 更多", both[1].Text);
        Assert.Equal(2, fake.SentMessageCount);
    }

    [Fact]
    public async Task A_4097_character_message_is_rejected_with_400()
    {
        await bot.SendMessage(chatId: Reader, text: new string('报', 4096));
        await bot.SendMessage(chatId: Reader, text: string.Concat(Enumerable.Repeat("😀", 2048))); // 4096 UTF-16 units

        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: new string('a', 4097)));
        Assert.Equal(400, tooLong.ErrorCode);
        Assert.Equal("Bad Request: message is too long", tooLong.Message);

        var emoji = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: string.Concat(Enumerable.Repeat("😀", 2049))));
        Assert.Equal(400, emoji.ErrorCode);

        // HTML markup does not count, but its text does.
        await bot.SendMessage(chatId: Reader, text: "<b>" + new string('a', 4096) + "</b>", parseMode: ParseMode.Html);
        Assert.Equal(3, fake.SentMessageCount);
    }

    [Fact]
    public async Task Text_Telegram_cannot_parse_is_rejected_with_400()
    {
        var html = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMessage(chatId: Reader, text: "报名 <元宇宙> 成功", parseMode: ParseMode.Html));
        Assert.Equal(400, html.ErrorCode);
        Assert.StartsWith("Bad Request: can't parse entities", html.Message, StringComparison.Ordinal);

        var markdown = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMessage(chatId: Reader, text: "2.17 开始!", parseMode: ParseMode.MarkdownV2));
        Assert.Contains("is reserved and must be escaped", markdown.Message, StringComparison.Ordinal);

        await bot.SendMessage(chatId: Reader, text: "*2\\.17* 开始\\!", parseMode: ParseMode.MarkdownV2);
        var empty = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: "   "));
        Assert.Equal("Bad Request: message text is empty", empty.Message);
    }

    [Fact]
    public async Task Callback_data_over_64_bytes_is_rejected_with_BUTTON_DATA_INVALID()
    {
        var ok = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("ok", new string('报', 21))); // 63 bytes
        await bot.SendMessage(chatId: Reader, text: "ok", replyMarkup: ok);

        var tooLong = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("元宇宙", new string('报', 22))); // 66 bytes, 22 chars
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: "选择", replyMarkup: tooLong));
        Assert.Equal(400, error.ErrorCode);
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", error.Message);

        var ascii = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", new string('x', 65)));
        Assert.Equal(400, (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: "选择", replyMarkup: ascii))).ErrorCode);
        Assert.Equal(1, fake.SentMessageCount);
    }

    [Fact]
    public async Task FailNext_429_surfaces_as_ApiRequestException_with_retry_after()
    {
        fake.FailNext("sendMessage", 429, "Too Many Requests: retry after 3", retryAfter: 3);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: "提醒"));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal("Too Many Requests: retry after 3", error.Message);
        Assert.Equal(3, error.Parameters?.RetryAfter);
        Assert.Equal(0, fake.SentMessageCount);
        await bot.SendMessage(chatId: Reader, text: "提醒"); // only the next call failed
        Assert.Equal(1, fake.SentMessageCount);
        Assert.Equal([429, 200], fake.Calls.Where(c => c.Method == "sendMessage").Select(c => c.StatusCode));
    }

    [Fact]
    public async Task The_fault_hook_can_block_some_chats_and_storm_others()
    {
        fake.Fault = call => call.Method == "sendMessage" && call.ChatId % 10 == 0 ? FakeFailure.Blocked() : null;

        await bot.SendMessage(chatId: 11, text: "hi");
        var blocked = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: 20, text: "hi"));
        Assert.Equal(403, blocked.ErrorCode);
        Assert.Equal("Forbidden: bot was blocked by the user", blocked.Message);

        fake.Fault = _ => FakeFailure.TooManyRequests(7);
        var storm = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: 11, text: "hi"));
        Assert.Equal(7, storm.Parameters?.RetryAfter);
        fake.Fault = null;

        fake.BlockChat(12);
        Assert.Equal(403, (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: 12, text: "hi"))).ErrorCode);
        Assert.Single(fake.SentMessages);
    }

    [Fact]
    public async Task A_bad_gateway_surfaces_as_a_non_api_RequestException()
    {
        fake.FailNextWithBadGateway("sendMessage");

        var error = await Assert.ThrowsAnyAsync<RequestException>(() => bot.SendMessage(chatId: Reader, text: "hi"));

        Assert.IsNotType<ApiRequestException>(error);
        Assert.Equal(HttpStatusCode.BadGateway, error.HttpStatusCode);
    }

    [Fact]
    public async Task A_dropped_connection_after_processing_leaves_the_outcome_unknown_to_the_client()
    {
        fake.FailNext("sendMessage", FakeFailure.DropConnectionAfterProcessing());

        await Assert.ThrowsAnyAsync<Exception>(() => bot.SendMessage(chatId: Reader, text: "提醒"));

        Assert.Equal("提醒", (await fake.WaitForMessageAsync(Reader)).Text); // it was sent all the same
    }

    [Fact]
    public async Task A_delay_slows_every_request()
    {
        fake.SetDelay(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await bot.GetMe();

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_document_upload_is_recorded_with_its_bytes_and_file_name()
    {
        var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("姓名,场次\n小明,元宇宙\n")).ToArray();
        await using var stream = new MemoryStream(csv);

        var message = await bot.SendDocument(chatId: Reader, document: InputFile.FromStream(stream, "名单.csv"), caption: "报名名单（2月17日）");

        Assert.Equal("名单.csv", message.Document!.FileName);
        Assert.Equal("报名名单（2月17日）", message.Caption);
        var document = await fake.WaitForDocumentAsync(Reader);
        Assert.Equal("名单.csv", document.FileName);
        Assert.Equal("报名名单（2月17日）", document.Caption);
        Assert.Equal(csv, document.Content);
        Assert.Equal(message.Id, document.MessageId);
    }

    [Fact]
    public async Task A_caption_over_1024_characters_is_rejected()
    {
        await using var stream = new MemoryStream([1, 2, 3]);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendDocument(chatId: Reader, document: InputFile.FromStream(stream, "a.csv"), caption: new string('c', 1025)));

        Assert.Equal("Bad Request: message caption is too long", error.Message);
        Assert.Empty(fake.Documents);
    }

    [Fact]
    public async Task A_callback_update_parses_as_a_callback_query_on_the_message_it_came_from()
    {
        var sent = await bot.SendMessage(chatId: Reader, text: "请选择场次：", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("元宇宙", "s:2")));
        await bot.SendMessage(chatId: Reader, text: "另一条", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("汽车", "s:1")));
        var id = fake.EnqueueUpdate(FakeBotApi.CallbackUpdate(Reader, "s:2")); // no message id: the message whose button carries s:2

        var update = Assert.Single(await bot.GetUpdates());

        Assert.Equal(UpdateType.CallbackQuery, update.Type);
        var query = update.CallbackQuery!;
        Assert.Equal(FakeBotApi.CallbackQueryIdFor(id), query.Id);
        Assert.Equal("s:2", query.Data);
        Assert.Equal(Reader, query.From.Id);
        Assert.Equal("zh-hans", query.From.LanguageCode);
        Assert.Equal(sent.Id, query.Message!.Id);
        Assert.Equal("请选择场次：", query.Message.Text);
        Assert.Equal("s:2", query.Message.ReplyMarkup!.InlineKeyboard.Single().Single().CallbackData);
        Assert.False(string.IsNullOrEmpty(query.ChatInstance));

        await bot.AnswerCallbackQuery(callbackQueryId: query.Id, text: "已报名");
        var answer = await fake.WaitForCallbackAnswerAsync(query.Id);
        Assert.Equal("已报名", answer.Text);

        var unknown = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(callbackQueryId: "forged"));
        Assert.Equal(400, unknown.ErrorCode);
    }

    [Fact]
    public async Task A_button_press_on_an_explicit_message_and_update_dates_follow_the_fakes_clock()
    {
        var first = await bot.SendMessage(chatId: Reader, text: "第一条", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", "d")));
        await bot.SendMessage(chatId: Reader, text: "第二条", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", "d")));
        var at = new DateTimeOffset(2027, 1, 20, 4, 0, 0, TimeSpan.Zero);
        fake.Clock = new FixedClock(at);
        fake.EnqueueUpdate(FakeBotApi.CallbackUpdate(Reader, "d", messageId: first.Id));
        fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名"));

        var updates = await bot.GetUpdates();

        Assert.Equal(first.Id, updates[0].CallbackQuery!.Message!.Id);
        Assert.Equal("第一条", updates[0].CallbackQuery!.Message!.Text);
        Assert.Equal(at.UtcDateTime, updates[1].Message!.Date);
    }

    [Fact]
    public async Task Edits_are_recorded_and_an_edit_that_changes_nothing_fails_like_Telegram()
    {
        var sent = await bot.SendMessage(chatId: Reader, text: "名额 1/10", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("报名", "s:1")));

        var edited = await bot.EditMessageText(chatId: Reader, messageId: sent.Id, text: "名额 2/10", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("报名", "s:1")));
        Assert.Equal("名额 2/10", edited.Text);

        var same = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.EditMessageText(chatId: Reader, messageId: sent.Id, text: "名额 2/10", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("报名", "s:1"))));
        Assert.StartsWith("Bad Request: message is not modified", same.Message, StringComparison.Ordinal);

        await bot.EditMessageReplyMarkup(chatId: Reader, messageId: sent.Id, replyMarkup: null);
        var missing = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(chatId: Reader, messageId: 999, text: "x"));
        Assert.Equal("Bad Request: message to edit not found", missing.Message);

        await bot.DeleteMessage(chatId: Reader, messageId: sent.Id);
        Assert.Equal(["editMessageText", "editMessageReplyMarkup"], fake.Edits.Select(e => e.Method));
        Assert.Equal("名额 2/10", fake.Edits[0].Text);
        Assert.Null(fake.Edits[1].ReplyMarkup);
        Assert.Equal(sent.Id, Assert.Single(fake.Deletions).MessageId);
    }

    [Fact]
    public async Task Commands_are_recorded_per_language()
    {
        await bot.SetMyCommands(commands: [new BotCommand("signup", "报名"), new BotCommand("mine", "我的报名")]);
        await bot.SetMyCommands(commands: [new BotCommand("signup", "Sign up")], languageCode: "en");

        Assert.Equal([new FakeBotCommand("signup", "报名"), new FakeBotCommand("mine", "我的报名")], fake.CommandsFor());
        Assert.Equal("Sign up", Assert.Single(fake.CommandsFor("en")).Description);
        Assert.Contains(fake.Commands, c => c.LanguageCode == "en" && c.Scope == "default" && c.Commands.Any(x => x.Command == "signup"));
        Assert.Equal(2, (await bot.GetMyCommands()).Length);

        var chinese = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetMyCommands(commands: [new BotCommand("报名", "报名")]));
        Assert.Equal("Bad Request: BOT_COMMAND_INVALID", chinese.Message);

        await bot.DeleteMyCommands(languageCode: "en");
        Assert.Empty(fake.CommandsFor("en"));
        Assert.Single(fake.Commands);
    }

    [Fact]
    public async Task Sticker_edited_and_channel_updates_have_Telegrams_shape()
    {
        fake.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名"));
        fake.EnqueueUpdate(FakeBotApi.StickerUpdate(Reader));
        fake.EnqueueUpdate(FakeBotApi.EditedMessageUpdate(Reader, "报名 元宇宙"));
        fake.EnqueueUpdate(FakeBotApi.NoFromUpdate(-1_009_999, "频道公告"));
        fake.EnqueueUpdate(FakeBotApi.NoFromUpdate(-1_001_111, "匿名", channelPost: false));

        var updates = await bot.GetUpdates();

        Assert.Equal([UpdateType.Message, UpdateType.Message, UpdateType.EditedMessage, UpdateType.ChannelPost, UpdateType.Message], updates.Select(u => u.Type));
        Assert.Equal(MessageType.Sticker, updates[1].Message!.Type);
        Assert.Equal("👍", updates[1].Message!.Sticker!.Emoji);
        Assert.Equal(updates[0].Message!.Id, updates[2].EditedMessage!.Id);
        Assert.Equal("报名 元宇宙", updates[2].EditedMessage!.Text);
        Assert.Null(updates[3].ChannelPost!.From);
        Assert.Equal(ChatType.Channel, updates[3].ChannelPost!.Chat.Type);
        Assert.Null(updates[4].Message!.From);
        Assert.Equal("匿名", updates[4].Message!.Text);
    }

    [Fact]
    public async Task Waiting_for_a_message_that_never_comes_says_what_was_sent()
    {
        await bot.SendMessage(chatId: Reader, text: "你好");
        fake.FailNext("sendMessage", 400, "Bad Request: chat not found");
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: Reader, text: "再见"));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            fake.WaitForMessageAsync(Reader, m => m.Text == "再见", TimeSpan.FromMilliseconds(200)));

        Assert.Contains("你好", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("chat not found", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForMessage_wakes_up_when_the_message_arrives_later()
    {
        var waiting = fake.WaitForMessageAsync(Reader, m => m.Text.Contains("元宇宙", StringComparison.Ordinal));
        await bot.SendMessage(chatId: Reader, text: "别的");
        Assert.False(waiting.IsCompleted);

        await bot.SendMessage(chatId: Reader, text: "已报名：元宇宙");

        Assert.Equal("已报名：元宇宙", (await waiting).Text);
    }

    [Fact]
    public async Task Plain_HTTP_gets_Telegrams_error_shape_for_unknown_methods_and_accepts_form_posts()
    {
        using var unknown = await Http.PostAsync(new Uri($"{fake.BaseUrl}/bot{FakeBotApi.Token}/sendTelepathy"), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var body = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!;
        Assert.False(body["ok"]!.GetValue<bool>());
        Assert.Equal(404, body["error_code"]!.GetValue<int>());
        Assert.Equal("Not Found: method not found", body["description"]!.GetValue<string>());

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["chat_id"] = "42",
            ["text"] = "表单 & form",
            ["reply_markup"] = """{"inline_keyboard":[[{"text":"报名","callback_data":"s:1"}]]}""",
        });
        using var sent = await Http.PostAsync(new Uri($"{fake.BaseUrl}/bot999:OTHER/SENDMESSAGE"), form);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var message = await fake.WaitForMessageAsync(42);
        Assert.Equal("表单 & form", message.Text);
        Assert.Equal("s:1", message.Buttons().Single().CallbackData);
        Assert.Contains("999:OTHER", fake.ForeignTokens);
    }

    [Fact]
    public async Task An_update_can_be_delivered_to_a_webhook()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        await bot.SetWebhook(url: receiver.Url, secretToken: "abc_123");

        var status = await fake.DeliverToWebhookAsync(FakeBotApi.TextUpdate(Reader, "报名"));

        Assert.Equal(HttpStatusCode.OK, status);
        var (secret, json) = Assert.Single(receiver.Received);
        Assert.Equal("abc_123", secret);
        Assert.Equal("报名", JsonNode.Parse(json)!["message"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_optional_rate_limit_answers_429_past_the_configured_rate()
    {
        fake.MaxSendsPerSecond = 5;
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await bot.SendMessage(chatId: 100 + i, text: "x");
                return 200;
            }
            catch (ApiRequestException e)
            {
                return e.ErrorCode;
            }
        }));

        Assert.Contains(429, results);
        Assert.InRange(results.Count(r => r == 200), 5, 10); // at most two one-second windows
        Assert.Equal(results.Count(r => r == 429), fake.RateLimitRejections);
    }

    [Fact]
    public async Task Many_concurrent_sends_are_all_recorded_with_per_chat_message_ids()
    {
        const int Chats = 50, PerChat = 20;
        await Task.WhenAll(Enumerable.Range(0, Chats).Select(async c =>
        {
            for (var i = 0; i < PerChat; i++)
                await bot.SendMessage(chatId: 1_000 + c, text: $"m{i}");
        }));

        await fake.WaitForSentCountAsync(Chats * PerChat);
        var chat = fake.MessagesTo(1_007);
        Assert.Equal(Enumerable.Range(1, PerChat), chat.Select(m => m.MessageId));
        Assert.Equal(Enumerable.Range(0, PerChat).Select(i => $"m{i}"), chat.Select(m => m.Text));
    }

    [Fact]
    public async Task Disposing_the_fake_releases_a_pending_long_poll_at_once()
    {
        var poll = bot.GetUpdates(timeout: 30);
        await fake.WaitForGetUpdatesCallAsync();
        var stopwatch = Stopwatch.StartNew();

        await fake.DisposeAsync();
        try
        {
            await poll;
        }
        catch (RequestException)
        {
            // the connection may go away before the empty answer is written
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A minimal webhook endpoint for the delivery test.</summary>
    private sealed class FakeWebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string? Secret, string Json)> received = new();

        private FakeWebhookReceiver()
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
            app = builder.Build();
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                received.Enqueue((context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(), await reader.ReadToEndAsync()));
                context.Response.StatusCode = 200;
            });
        }

        public string Url { get; private set; } = "";

        public IReadOnlyList<(string? Secret, string Json)> Received => [.. received];

        public static async Task<FakeWebhookReceiver> StartAsync()
        {
            var receiver = new FakeWebhookReceiver();
            await receiver.app.StartAsync();
            receiver.Url = receiver.app.Urls.First() + "/telegram";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
