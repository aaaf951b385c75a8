using Baoming.Core.Export;
using Baoming.Export;
using Baoming.Tests.Export;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Sources;

/// <summary>
/// Deep links with a source (<c>?start=KEY-SOURCE</c>, DESIGN.md): the card opens on the session, its button
/// carries the source, the registration keeps it and the export shows it in a <c>source</c> column.
/// </summary>
public sealed class SourceTests : IAsyncLifetime
{
    private const long Reader = 8801;
    private BotHarness bot = null!;

    public async Task InitializeAsync() =>
        bot = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "ai-2027", "人工智能这一年", BotHarness.Now.AddDays(3)));

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private async Task<string?> SourceOfAsync(long member, string key) =>
        await bot.ScalarAsync<string?>(
            "select r.source from registrations r join sessions s on s.id = r.session_id where s.key = @key and r.member_id = @member",
            new { key, member });

    [Fact]
    public async Task A_deep_link_with_a_source_signs_up_with_that_source_and_the_export_shows_it()
    {
        var card = await bot.AskAsync(Reader, "/start metaverse-wx36kr");
        var button = Assert.Single(card.Buttons());
        Assert.Contains("到底什么是\"元宇宙\"", card.Text);
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, button.CallbackData!)).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(Reader + 1, "报名 元宇宙")).Text);

        Assert.Equal("wx36kr", await SourceOfAsync(Reader, "metaverse"));
        Assert.Null(await SourceOfAsync(Reader + 1, "metaverse"));
        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, [await bot.SessionIdAsync("metaverse")], progress: null, CancellationToken.None);
        var records = ExportData.ParseCsv(output.ToArray());
        var column = records[0].IndexOf("source");
        Assert.True(column >= ExportColumns.Standard.Count);
        var byMember = records.Skip(1).ToDictionary(r => r[6], r => r[column]);
        Assert.Equal("wx36kr", byMember[Reader.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal("", byMember[(Reader + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public async Task A_key_with_dashes_is_found_whole_and_with_a_source()
    {
        var plain = await bot.AskAsync(Reader, "/start ai-2027");
        var tagged = await bot.AskAsync(Reader + 2, "/start ai-2027-qr-poster");

        Assert.Contains("人工智能这一年", plain.Text);
        Assert.Contains("人工智能这一年", tagged.Text);
        Assert.Contains("报名成功", (await bot.PressAsync(Reader + 2, Assert.Single(tagged.Buttons()).CallbackData!)).Text);
        Assert.Equal("qr-poster", await SourceOfAsync(Reader + 2, "ai-2027"));
    }

    [Fact]
    public async Task A_forged_payload_or_button_source_is_ignored_and_sign_up_still_works()
    {
        // Not a payload Telegram sends: the list, from which signing up works as ever.
        var list = await bot.AskAsync(Reader, "/start metaverse-wx!!");
        Assert.Equal(3, list.Buttons().Count);

        // A forged button with a source Telegram could not have carried: stale, nothing stored.
        var sessionId = await bot.SessionIdAsync("metaverse");
        Assert.NotNull(await bot.PressForNoticeAsync(Reader, $"su:{sessionId}:wx 36"));
        Assert.Null(await SourceOfAsync(Reader, "metaverse"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader", new { Reader }));

        Assert.Contains("报名成功", (await bot.PressAsync(Reader, list.Buttons()[1].CallbackData!)).Text);
        Assert.Null(await SourceOfAsync(Reader, "metaverse"));
    }
}
