using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using static Baoming.Tests.AfterSession.AfterSessionData;

namespace Baoming.Tests.AfterSession;

/// <summary><c>/broadcast</c> to those who came to a session and to its confirmed no-shows, end to end.</summary>
public sealed class BroadcastAudienceTests : IAsyncLifetime
{
    /// <summary>Last week's session: it has started (and ended), so its attendance is known.</summary>
    private static readonly DateTimeOffset Start = BotHarness.Now.AddDays(-7);

    private BotHarness bot = null!;
    private long sessionId;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(Settings("lastweek", Start));
        sessionId = await bot.SessionIdAsync("lastweek");
        await SeedAsync(bot.ConnectionString, "lastweek", Start.AddDays(-3));
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private static string Button(SentMessage message, string text) => message.Buttons().Single(b => b.Text.Contains(text, StringComparison.Ordinal)).CallbackData!;

    /// <summary>Chooses the audience through its menu and the session list, writes the text and sends it now.</summary>
    private async Task BroadcastAsync(string menuButton, string code, int expected, string text)
    {
        var menu = await bot.AskAsync(Organizer, "/broadcast");
        Assert.Equal(code, Button(menu, menuButton));
        var choose = await bot.PressAsync(Organizer, code);
        var session = choose.Buttons().Single(b => b.CallbackData == $"{code}:{sessionId}");
        Assert.EndsWith($"· {expected}", session.Text, StringComparison.Ordinal);
        // Upcoming sessions are not offered: nobody has come to them yet.
        var upcoming = await bot.SessionIdAsync("metaverse");
        Assert.DoesNotContain(choose.Buttons(), b => b.CallbackData == $"{code}:{upcoming}");

        var ask = await bot.PressAsync(Organizer, session.CallbackData!);
        Assert.Contains($"共 {expected} 人", ask.Text);
        var before = bot.Telegram.MessagesTo(Organizer).Count;
        bot.Say(Organizer, text);
        var confirm = (await bot.Telegram.WaitForMessagesAsync(Organizer, before + 2))[before + 1];
        bot.Press(Organizer, Button(confirm, "立即发送"));
        await bot.Telegram.WaitUntilAsync(
            () => bot.Telegram.Edits.Any(e => e.ChatId == Organizer && e.Text?.Contains("已完成", StringComparison.Ordinal) == true && e.Text.Contains($"送达 {expected}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            () => "the broadcast never finished");
    }

    /// <summary>Who got <paramref name="text"/>, but the organizer (whose preview it was).</summary>
    private IEnumerable<long> Reached(string text) => bot.Telegram.SentMessages.Where(m => m.Text == text && m.ChatId != Organizer).Select(m => m.ChatId);

    [Fact]
    public async Task A_broadcast_to_those_who_came_reaches_exactly_them()
    {
        await BroadcastAsync("来了的人", "ba:a", Came.Length, "<b>谢谢你来</b>：问卷在这里");

        Assert.Equal(Came.Order(), Reached("<b>谢谢你来</b>：问卷在这里").Order());
        Assert.Equal("attended", await bot.ScalarAsync<string>("select audience from broadcasts"));
    }

    [Fact]
    public async Task A_broadcast_to_the_no_shows_reaches_exactly_the_confirmed_members_who_did_not_come()
    {
        await BroadcastAsync("没来的人", "ba:n", NoShows.Length, "下次见！回放已上线");

        Assert.Equal(NoShows.Order(), Reached("下次见！回放已上线").Order());
        Assert.Equal("no_shows", await bot.ScalarAsync<string>("select audience from broadcasts"));
    }

    [Fact]
    public async Task A_forged_button_for_a_session_that_has_not_started_is_stale()
    {
        var upcoming = await bot.SessionIdAsync("metaverse");

        var notice = await bot.PressForNoticeAsync(Organizer, $"ba:n:{upcoming}");

        Assert.Contains("失效", notice);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from dialogs"));
    }

    [Fact]
    public async Task The_stored_audience_names_are_those_the_database_allows()
    {
        await using var connection = new Npgsql.NpgsqlConnection(bot.ConnectionString);
        await connection.OpenAsync();

        var allowed = await CheckConstraints.AllowedValuesAsync(connection, "broadcasts", "audience");

        Assert.Equal(Enum.GetValues<Core.Organizers.Audience>().Select(Core.Organizers.AudienceNames.Of).Order(), allowed.Order());
    }
}
