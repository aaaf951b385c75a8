using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace Baoming.Tests.Sources;

/// <summary>
/// <c>/link KEY SOURCE</c> (organizers): the deep link as text and as a QR code PNG. The QR code is decoded
/// here with ZXing (not the library that drew it), and the decoded link is followed by a reader to a
/// sign-up that keeps the source.
/// </summary>
public sealed class LinkTests : IAsyncLifetime
{
    private const long Organizer = 9101;
    private const long Admin = 9102;
    private const long Reader = 9103;
    private BotHarness bot = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Community:Organizers:0"] = "9101",
            ["Community:Admins:0"] = "9102",
        };
        foreach (var extra in new[]
        {
            BotHarness.ExtraSession(2, "ai-2027", "人工智能这一年", BotHarness.Now.AddDays(3)),
            BotHarness.ExtraSession(3, "ai", "人工智能入门", BotHarness.Now.AddDays(4)),
            BotHarness.ExtraSession(4, "past", "去年的一场", BotHarness.Now.AddDays(-30)),
        })
        {
            foreach (var (key, value) in extra)
            {
                settings[key] = value;
            }
        }

        bot = await BotHarness.StartAsync(settings);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private static string LinkTo(string payload) => $"https://t.me/{FakeBotApi.BotUsername}?start={payload}";

    /// <summary>Sends <paramref name="command"/> and waits for the text reply and the document after it.</summary>
    private async Task<(SentMessage Reply, SentDocument Document)> AskForLinkAsync(long member, string command, string language = "zh-hans")
    {
        var before = bot.Telegram.Documents.Count(d => d.ChatId == member);
        var reply = await bot.AskAsync(member, command, language);
        await bot.Telegram.WaitUntilAsync(
            () => bot.Telegram.Documents.Count(d => d.ChatId == member) > before, TimeSpan.FromSeconds(10), () => $"no QR code after {command}");
        return (reply, bot.Telegram.Documents.Where(d => d.ChatId == member).ElementAt(before));
    }

    /// <summary>The PNG's pixels through SkiaSharp, read by ZXing's QR reader: what a phone's camera would find.</summary>
    private static (string Text, int Width, int Height) DecodeQr(byte[] png)
    {
        using var decoded = SKBitmap.Decode(png) ?? throw new InvalidOperationException("not an image SkiaSharp can decode");
        using var bgra = decoded.Copy(SKColorType.Bgra8888);
        var source = new RGBLuminanceSource(bgra.Bytes, bgra.Width, bgra.Height, RGBLuminanceSource.BitmapFormat.BGRA32);
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE] } };
        var result = reader.Decode(source) ?? throw new InvalidOperationException("no QR code found in the image");
        return (result.Text, bgra.Width, bgra.Height);
    }

    private int Documents => bot.Telegram.Documents.Count;

    private Task<long> AuditedAsync() => bot.ScalarAsync<long>("select count(*) from audit_log where action = 'link.create'");

    [Fact]
    public async Task An_organizer_gets_the_link_and_a_QR_code_that_decodes_to_it_and_a_reader_following_it_signs_up_with_the_source()
    {
        var (reply, document) = await AskForLinkAsync(Organizer, "/link metaverse wx36kr");

        var link = LinkTo("metaverse-wx36kr");
        Assert.Contains(link, reply.Text);
        Assert.Contains("「wx36kr」", reply.Text);
        Assert.Equal("link-metaverse-wx36kr.png", document.FileName);
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G'];
        Assert.Equal(signature, document.Content[..4]);
        Assert.Contains("到底什么是\"元宇宙\"", document.Caption);
        Assert.Contains(link, document.Caption);
        var (decoded, width, height) = DecodeQr(document.Content);
        Assert.Equal(link, decoded);
        // Big enough to print: 10 px per module, a version 3+ code with its 4-module quiet zones is over 370 px.
        Assert.Equal(width, height);
        Assert.True(width >= 370, $"{width} px");

        var payload = new Uri(decoded).Query["?start=".Length..];
        var card = await bot.AskAsync(Reader, "/start " + payload);
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, Assert.Single(card.Buttons()).CallbackData!)).Text);
        Assert.Equal(
            "wx36kr",
            await bot.ScalarAsync<string?>(
                "select r.source from registrations r join sessions s on s.id = r.session_id where s.key = 'metaverse' and r.member_id = @Reader",
                new { Reader }));

        await bot.WaitUntilIdleAsync();
        var audited = await bot.QueryAsync<(long Actor, string Key, string Source)>(
            "select actor_id, details->>'session_key', details->>'source' from audit_log where action = 'link.create'");
        Assert.Equal([(Organizer, "metaverse", "wx36kr")], audited);
    }

    [Fact]
    public async Task Without_a_source_the_link_is_plain_with_a_hint_and_an_admin_may_ask_too()
    {
        var (reply, document) = await AskForLinkAsync(Admin, "/link ai-2027", language: "en");

        Assert.Contains(LinkTo("ai-2027"), reply.Text);
        Assert.Contains("/link ai-2027 SOURCE", reply.Text);
        Assert.Contains("at most 56 characters", reply.Text);
        Assert.Equal("link-ai-2027.png", document.FileName);
        Assert.Equal(LinkTo("ai-2027"), DecodeQr(document.Content).Text);
        Assert.DoesNotContain("⚠️", reply.Text);
    }

    [Fact]
    public async Task A_past_session_still_gets_its_link_with_a_warning()
    {
        var (reply, document) = await AskForLinkAsync(Organizer, "/link past poster");

        Assert.Contains(LinkTo("past-poster"), reply.Text);
        Assert.Contains("⚠️ 这一场已经开始或结束", reply.Text);
        Assert.Equal(LinkTo("past-poster"), DecodeQr(document.Content).Text);
    }

    [Fact]
    public async Task A_reader_asking_for_a_link_gets_the_usual_refusal_and_nothing_else()
    {
        var reply = await bot.AskAsync(Reader, "/link metaverse wx36kr");
        await bot.WaitUntilIdleAsync();

        Assert.Contains("只有组织者或管理员", reply.Text);
        Assert.DoesNotContain("t.me", reply.Text);
        Assert.Equal(0, Documents);
        Assert.Equal(0, await AuditedAsync());
    }

    [Fact]
    public async Task An_unknown_key_is_named_and_the_upcoming_keys_are_listed()
    {
        var reply = await bot.AskAsync(Organizer, "/link nosuch wx36kr");
        await bot.WaitUntilIdleAsync();

        Assert.Contains("没有 KEY 为「nosuch」的场次", reply.Text);
        Assert.Contains("· metaverse — ", reply.Text);
        Assert.Contains("· ai-2027 — ", reply.Text);
        Assert.DoesNotContain("· past — ", reply.Text);
        Assert.DoesNotContain("t.me", reply.Text);
        Assert.Equal(0, Documents);
        Assert.Equal(0, await AuditedAsync());
    }

    [Theory]
    [InlineData("/link metaverse wx!36")]
    [InlineData("/link metaverse 公众号")]
    [InlineData("/link metaverse wx 36kr")]
    public async Task A_source_outside_the_alphabet_is_refused_with_the_rule_and_the_room_left(string command)
    {
        var reply = await bot.AskAsync(Organizer, command);
        await bot.WaitUntilIdleAsync();

        Assert.Contains("来源只能用字母 A–Z a–z、数字 0–9、_ 和 -", reply.Text);
        Assert.Contains("「metaverse」这一场的来源最长 54 个字符", reply.Text);
        Assert.DoesNotContain("t.me", reply.Text);
        Assert.Equal(0, Documents);
        Assert.Equal(0, await AuditedAsync());
    }

    [Fact]
    public async Task A_source_over_what_the_key_leaves_of_64_characters_is_refused()
    {
        var fits = await AskForLinkAsync(Organizer, "/link metaverse " + new string('x', 54));
        Assert.Equal(LinkTo("metaverse-" + new string('x', 54)), DecodeQr(fits.Document.Content).Text);

        var reply = await bot.AskAsync(Organizer, "/link metaverse " + new string('x', 55), language: "en");
        await bot.WaitUntilIdleAsync();

        Assert.Contains("a source for \"metaverse\" may be at most 54 characters", reply.Text);
        Assert.Equal(1, Documents);
        Assert.Equal(1, await AuditedAsync());
    }

    [Fact]
    public async Task A_source_that_would_make_the_link_open_another_session_is_refused()
    {
        // "ai-2027-qr" is read as the session "ai-2027" with the source "qr" before "ai" with "2027-qr".
        var reply = await bot.AskAsync(Organizer, "/link ai 2027-qr");
        await bot.WaitUntilIdleAsync();

        Assert.Contains("KEY「ai-2027」", reply.Text);
        Assert.Equal(0, Documents);
        Assert.Equal(0, await AuditedAsync());
    }
}
