using Baoming.Core.Export;
using Baoming.Export;
using Baoming.Sessions;
using Baoming.Tests.Export;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoming.Tests.History;

/// <summary>
/// A member's history end to end: <c>/member</c> through the fake Bot API (who they are, their totals, each
/// session and how it ended, audited), and the member totals of the all-sessions export.
/// </summary>
public sealed class MemberHistoryTests : IAsyncLifetime
{
    private const long Organizer = 7001;
    private const long Admin = 8001;
    private const long Zhang = 5001;
    private const long Li = 5002;

    /// <summary>Five Wednesdays before BotHarness.Now (2027-01-20), 19:30 in Beijing.</summary>
    private static readonly DateTimeOffset[] Past =
        [.. Enumerable.Range(0, 5).Select(i => new DateTimeOffset(2026, 12, 2, 19, 30, 0, TimeSpan.FromHours(8)).AddDays(7 * i))];

    private BotHarness bot = null!;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Community:Organizers:0"] = "7001",
            ["Community:Admins:0"] = "8001",
        });

        // 张三 writes first, so the bot knows his name and @username, and signs up for the configured 元宇宙 session.
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Zhang, "报名 元宇宙", firstName: "张三", username: "zhang_san"));
        await bot.Telegram.WaitForMessageAsync(Zhang);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>
    /// Five past sessions (BotHarness.Now is 2027-01-20), one of them cancelled by the organizers, and
    /// 张三's registration in each: attended by his link, a no-show, cancelled by him, still waitlisted,
    /// and confirmed for the cancelled session.
    /// </summary>
    private async Task SeedPastSessionsAsync()
    {
        await SeedAsync(Zhang, "p1", "自动驾驶的下一步", Past[0], "confirmed", attended: true);
        await SeedAsync(Zhang, "p2", "大模型落地", Past[1], "confirmed");
        await SeedAsync(Zhang, "p3", "芯片供应链", Past[2], "cancelled");
        await SeedAsync(Zhang, "p4", "机器人", Past[3], "waitlisted");
        await SeedAsync(Zhang, "p5", "被取消的一场", Past[4], "confirmed", sessionCancelled: true);
    }

    /// <summary>A session (created if the key is new) and one registration of <paramref name="memberId"/> in it.</summary>
    private async Task SeedAsync(long memberId, string key, string title, DateTimeOffset startsAt, string status, bool attended = false, bool sessionCancelled = false)
    {
        const string Sql = """
            insert into members (id, display_name) values (@memberId, '读者') on conflict (id) do nothing;
            insert into sessions (key, title, starts_at, duration_minutes, source, cancelled_at)
            values (@key, @title, @startsAt, 90, 'chat', case when @sessionCancelled then @startsAt - interval '1 day' end)
            on conflict (key) do nothing;
            insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq, attended_at, attended_via)
            select id, @memberId, @status, @startsAt - interval '7 days',
                   case when @status = 'cancelled' then @startsAt - interval '1 day' end,
                   case when @status = 'waitlisted' then nextval('waitlist_seq') end,
                   case when @attended then @startsAt + interval '1 minute' end,
                   case when @attended then 'link' end
              from sessions where key = @key;
            """;
        await using var connection = new NpgsqlConnection(bot.ConnectionString);
        // Npgsql writes only UTC offsets to timestamptz.
        await connection.ExecuteAsync(Sql, new { memberId, key, title, startsAt = startsAt.ToUniversalTime(), status, attended, sessionCancelled });
    }

    private static string[] SessionLines(SentMessage reply) =>
        [.. reply.Text.Split('\n').Where(l => l.StartsWith("· ", StringComparison.Ordinal))];

    [Fact]
    public async Task An_organizer_sees_who_a_member_is_their_totals_and_each_session_newest_first()
    {
        // Arrange
        await SeedPastSessionsAsync();

        // Act
        var reply = await bot.AskAsync(Organizer, "/member @Zhang_San");

        // Assert
        Assert.StartsWith("👤 张三 @zhang_san\n", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Telegram ID：5001 · 渠道：Telegram · 角色：普通成员", reply.Text);
        Assert.Contains("首次出现：", reply.Text);
        Assert.Contains("报名 6 场：出席 1 · 未到 1 · 已取消 2 · 出席率 50%（1/2）", reply.Text);
        Assert.Equal(
            [
                "· 2月17日 周三 19:30（北京时间） 到底什么是\"元宇宙\" — 待开始",
                "· 12月30日 周三 19:30（北京时间） 被取消的一场 — 已取消",
                "· 12月23日 周三 19:30（北京时间） 机器人 — 候补",
                "· 12月16日 周三 19:30（北京时间） 芯片供应链 — 已取消",
                "· 12月9日 周三 19:30（北京时间） 大模型落地 — 未到",
                "· 12月2日 周三 19:30（北京时间） 自动驾驶的下一步 — 出席",
            ],
            SessionLines(reply));
        Assert.DoesNotContain("另外", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_lookup_that_shows_a_member_is_audited_with_who_asked_about_whom()
    {
        // Act
        await bot.AskAsync(Organizer, "/member 5001");
        await bot.AskAsync(Organizer, "/member @nobody_here");

        // Assert: the lookup that showed 张三 is recorded; the one that showed nobody is not.
        var audited = await bot.QueryAsync<(long ActorId, string MemberId)>(
            "select actor_id, details->>'member_id' from audit_log where action = 'member.lookup' order by id");
        Assert.Equal([(Organizer, "5001")], audited);
    }

    [Fact]
    public async Task An_English_speaking_organizer_reads_it_in_English()
    {
        // Arrange
        await SeedPastSessionsAsync();

        // Act
        var reply = await bot.AskAsync(Admin, "/member 5001", language: "en");

        // Assert
        Assert.Contains("Telegram id: 5001 · channel: Telegram · role: reader", reply.Text);
        Assert.Contains("Signed up 6: attended 1 · no-shows 1 · cancelled 2 · show rate 50% (1/2)", reply.Text);
        Assert.Contains("· Wed, Dec 9, 19:30 (Beijing time) 大模型落地 — no-show", reply.Text);
    }

    [Fact]
    public async Task A_long_history_lists_the_newest_twenty_and_counts_the_rest()
    {
        // Arrange: 23 past sessions a week apart, 张三 confirmed in each, plus 元宇宙.
        var first = new DateTimeOffset(2026, 5, 1, 19, 30, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < 23; i++)
        {
            await SeedAsync(Zhang, $"w{i}", $"第 {i} 周", first.AddDays(7 * i), "confirmed");
        }

        // Act
        var reply = await bot.AskAsync(Organizer, "/member @zhang_san");

        // Assert
        var lines = SessionLines(reply);
        Assert.Equal(20, lines.Length);
        Assert.Contains("元宇宙", lines[0], StringComparison.Ordinal);
        Assert.Contains("第 22 周", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("\n…及另外 4 场", reply.Text, StringComparison.Ordinal);
        Assert.Contains("报名 24 场：出席 0 · 未到 23 · 已取消 0 · 出席率 0%（0/23）", reply.Text);
    }

    [Fact]
    public async Task A_member_who_never_signed_up_gets_a_card_without_sessions()
    {
        // Arrange
        await bot.AskAsync(Li, "你好");

        // Act
        var reply = await bot.AskAsync(Organizer, "/member 5002");

        // Assert
        Assert.Contains("Telegram ID：5002", reply.Text);
        Assert.EndsWith("还没有报名过任何场次。", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/member 424242", "没有 ID 为 424242 的成员")]
    [InlineData("/member @nobody_here", "不认识 @nobody_here")]
    [InlineData("/member", "用法：/member")]
    [InlineData("/member not a name!", "用法：/member")]
    public async Task An_unknown_or_malformed_member_gets_a_clear_answer(string text, string expected)
    {
        // Act
        var reply = await bot.AskAsync(Organizer, text);

        // Assert
        Assert.Contains(expected, reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'member.lookup'"));
    }

    [Fact]
    public async Task Readers_cannot_look_members_up()
    {
        // Act
        var reply = await bot.AskAsync(Li, "/member @zhang_san");

        // Assert
        Assert.Contains("只有组织者或管理员", reply.Text);
        Assert.DoesNotContain("张三", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_all_sessions_export_has_each_members_totals_on_every_row_and_a_one_session_export_has_none()
    {
        // Arrange: 张三 as above; 李四 attended p1 and missed p2.
        await SeedPastSessionsAsync();
        await SeedAsync(Li, "p1", "自动驾驶的下一步", Past[0], "confirmed", attended: true);
        await SeedAsync(Li, "p2", "大模型落地", Past[1], "confirmed");
        var all = (await bot.Host.Services.GetRequiredService<SessionRepository>().ListAsync(CancellationToken.None)).Select(s => s.Session.Id).ToArray();

        // Act
        var everything = ExportData.ParseCsv(await ExportAsync(all));
        var one = ExportData.ParseCsv(await ExportAsync([await bot.SessionIdAsync("p1")]));

        // Assert
        // Other features' columns may sit around them: found by name.
        var header = everything[0];
        var signups = header.IndexOf("member_signups");
        Assert.Equal(["member_signups", "member_attended", "member_noshows"], header.Skip(signups).Take(3));
        var totals = everything.Skip(1)
            .GroupBy(r => r[6]) // the Telegram user id
            .ToDictionary(g => g.Key, g => g.Select(r => string.Join(",", r.Skip(signups).Take(3))).Distinct().ToList());
        Assert.Equal(["6,1,1"], totals["5001"]);
        Assert.Equal(["2,1,1"], totals["5002"]);
        Assert.Equal(8, everything.Count - 1);
        Assert.DoesNotContain("member_signups", one[0]);
    }

    private async Task<byte[]> ExportAsync(IReadOnlyList<long> sessionIds)
    {
        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, sessionIds, progress: null, CancellationToken.None);
        return output.ToArray();
    }
}
