using System.Text.Json;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Opening;

/// <summary>
/// Organizers set when sign-up opens: <c>/editsession KEY opens …</c> (and <c>-</c>), <c>/newsession … opens=… series=…</c>,
/// and see it in <c>/sessions</c>; end to end.
/// </summary>
public sealed class OpeningOrganizerTests : IAsyncLifetime
{
    private const long Organizer = 9001;
    private const long Reader = 5001;

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "9001" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<DateTime?> OpensAtAsync(string key) => bot.ScalarAsync<DateTime?>("select opens_at from sessions where key = @key", new { key });

    private async Task<IReadOnlyList<JsonElement>> EditAuditsAsync(string field) =>
        [.. (await bot.QueryAsync<string>(
                "select details::text from audit_log where actor_id = @Organizer and action = 'session.edit' and details->>'field' = @field order by id",
                new { Organizer, field }))
            .Select(json => JsonDocument.Parse(json).RootElement.Clone())];

    [Fact]
    public async Task I_can_set_when_sign_up_opens_and_open_it_now_each_audited()
    {
        var set = await bot.AskAsync(Organizer, "/editsession metaverse opens 2027-01-24 10:00");

        Assert.Contains("已更新", set.Text);
        Assert.Contains("开放报名：1月24日 周日 10:00（北京时间）", set.Text);
        Assert.Equal(new DateTime(2027, 1, 24, 2, 0, 0), await OpensAtAsync("metaverse"));
        Assert.Contains("1月24日 周日 10:00（北京时间）开放报名", (await bot.AskAsync(Reader, "报名 元宇宙")).Text);
        var overview = await bot.AskAsync(Organizer, "/sessions");
        Assert.Contains("开放报名：1月24日 周日 10:00（北京时间）", overview.Text);
        Assert.Equal(1, await bot.ScalarAsync<long>(
            "select count(*) from follow_ups where kind = 'session-changed' and argument = @id", new { id = (await bot.SessionIdAsync("metaverse")).ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var cleared = await bot.AskAsync(Organizer, "/editsession metaverse opens -");

        Assert.Contains("现在已开放报名", cleared.Text);
        Assert.Null(await OpensAtAsync("metaverse"));
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 元宇宙")).Text);
        Assert.DoesNotContain("开放报名：", (await bot.AskAsync(Organizer, "/sessions")).Text);
        var audits = await EditAuditsAsync("opens");
        Assert.Equal(2, audits.Count);
        Assert.Equal(JsonValueKind.Null, audits[0].GetProperty("before").ValueKind);
        Assert.Equal(new DateTimeOffset(2027, 1, 24, 2, 0, 0, TimeSpan.Zero), audits[0].GetProperty("after").GetDateTimeOffset());
        Assert.Equal(audits[0].GetProperty("after").GetDateTimeOffset(), audits[1].GetProperty("before").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, audits[1].GetProperty("after").ValueKind);
    }

    [Theory]
    [InlineData("/editsession metaverse opens 2027-02-17 19:30", "开放报名的时间必须早于这一场的开始时间（2027-02-17 19:30，北京时间）")]
    [InlineData("/editsession metaverse opens 2027-01-19 10:00", "已经过去了")]
    [InlineData("/editsession metaverse opens soon", "开放报名时间「soon」看不懂")]
    public async Task A_bad_opening_time_is_refused_and_nothing_changes(string command, string expected)
    {
        var reply = await bot.AskAsync(Organizer, command);

        Assert.Contains(expected, reply.Text);
        Assert.Null(await OpensAtAsync("metaverse"));
        Assert.Empty(await EditAuditsAsync("opens"));
    }

    [Fact]
    public async Task Moving_a_session_to_before_its_opening_time_is_refused()
    {
        await bot.AskAsync(Organizer, "/editsession metaverse opens 2027-01-24 10:00");

        var reply = await bot.AskAsync(Organizer, "/editsession metaverse time 2027-01-23 19:30");

        Assert.Contains("开始时间必须晚于开放报名的时间（2027-01-24 10:00，北京时间）", reply.Text);
        Assert.Equal(new DateTime(2027, 2, 17, 11, 30, 0), await bot.ScalarAsync<DateTime>("select starts_at from sessions where key = 'metaverse'"));
    }

    [Fact]
    public async Task I_can_create_a_session_that_opens_later_in_a_series()
    {
        await bot.ScalarAsync<long>("insert into series (key, title) values ('xuantihui', '选题会') returning id");

        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihui 电动车的下一个十年");

        Assert.Contains("已创建场次「电动车的下一个十年」", reply.Text);
        Assert.Contains("开放报名：2月24日 周三 10:00（北京时间）", reply.Text);
        Assert.Contains("系列：xuantihui", reply.Text);
        var row = (await bot.QueryAsync<(DateTime? OpensAt, string? Series, string Title)>(
            "select s.opens_at, r.key, s.title from sessions s left join series r on r.id = s.series_id where s.key = 'ev'")).Single();
        Assert.Equal((new DateTime(2027, 2, 24, 2, 0, 0), "xuantihui", "电动车的下一个十年"), (row.OpensAt, row.Series, row.Title));
        var audit = JsonDocument.Parse(await bot.ScalarAsync<string>("select details::text from audit_log where action = 'session.create'")).RootElement;
        Assert.Equal("xuantihui", audit.GetProperty("series").GetString());
        Assert.Equal(new DateTimeOffset(2027, 2, 24, 2, 0, 0, TimeSpan.Zero), audit.GetProperty("opens_at").GetDateTimeOffset());
        Assert.Contains("2月24日 周三 10:00（北京时间）开放报名", (await bot.AskAsync(Reader, "报名 ev")).Text);

        // The same command again (handled twice) gets the same answer, not "key taken".
        Assert.Contains("已创建场次", (await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihui 电动车的下一个十年")).Text);
    }

    [Fact]
    public async Task An_unknown_series_is_refused_naming_the_series_there_are_and_nothing_is_created()
    {
        await bot.ScalarAsync<long>("insert into series (key, title) values ('xuantihui', '选题会') returning id");

        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihu 电动车");
        var english = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 series=nope EVs", language: "en");

        Assert.Contains("没有 KEY 为「xuantihu」的系列，这一场没有创建。\n现有系列：xuantihui", reply.Text);
        Assert.Contains("No series has the key \"nope\"; the session was not created.\nSeries: xuantihui", english.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where key = 'ev'"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'session.create'"));
    }

    [Fact]
    public async Task A_new_session_without_options_opens_at_once_in_no_series()
    {
        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 电动车");

        Assert.DoesNotContain("开放报名", reply.Text);
        Assert.Equal((0L, "电动车"), (await bot.QueryAsync<(long Set, string Title)>(
            "select count(opens_at) + count(series_id), title from sessions where key = 'ev' group by title")).Single());
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 ev")).Text);
    }

    [Fact]
    public async Task A_bad_option_is_refused_with_the_usage_that_explains_options()
    {
        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24 10:00 电动车");

        Assert.Contains("开放报名时间「2027-02-24」看不懂，请写成 2027-02-24T10:00", reply.Text);
        Assert.Contains("[opens=日期T时间] [series=系列KEY]", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where key = 'ev'"));
    }
}
