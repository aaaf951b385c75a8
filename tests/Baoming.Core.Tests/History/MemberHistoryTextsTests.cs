using Baoming.Core.Replies;

namespace Baoming.Core.Tests.History;

/// <summary>What organizers read with /member: the totals, the show rate, and at most twenty sessions.</summary>
public sealed class MemberHistoryTextsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset FirstSeen = new(2026, 11, 3, 2, 0, 0, TimeSpan.Zero); // 10:00 in Beijing
    private static readonly DateTimeOffset Wednesday = new(2027, 2, 17, 11, 30, 0, TimeSpan.Zero); // 19:30 in Beijing

    private static MemberHistory Member(params HistoryOutcome[] outcomes) =>
        new(5001, "张三", "zhang_san", "reader", FirstSeen,
            [.. outcomes.Select((o, i) => new HistoryEntry($"第 {i} 场", Wednesday.AddDays(-7 * i), o))]);

    [Fact]
    public void The_show_rate_counts_only_sessions_that_could_be_attended_and_are_over()
    {
        // Act
        var counts = HistoryCounts.Of(Member(
            HistoryOutcome.Upcoming, HistoryOutcome.Attended, HistoryOutcome.NoShow, HistoryOutcome.Attended,
            HistoryOutcome.Cancelled, HistoryOutcome.Waitlisted, HistoryOutcome.Attended).Sessions);

        // Assert
        Assert.Equal(new HistoryCounts(7, 3, 1, 1), counts);
        Assert.Equal(0.75, counts.ShowRate);
    }

    [Fact]
    public void Without_an_attended_or_missed_session_there_is_no_show_rate()
    {
        var member = Member(HistoryOutcome.Upcoming, HistoryOutcome.Cancelled);

        var reply = new Texts(Language.Chinese, Shanghai).MemberHistory(member);

        Assert.Null(member.Counts.ShowRate);
        Assert.Contains("报名 2 场：出席 0 · 未到 0 · 已取消 1 · 出席率 —", reply.Text);
    }

    [Fact]
    public void The_card_says_who_in_Beijing_time_and_each_sessions_outcome()
    {
        // Act
        var reply = new Texts(Language.Chinese, Shanghai).MemberHistory(Member(
            HistoryOutcome.Upcoming, HistoryOutcome.Attended, HistoryOutcome.NoShow, HistoryOutcome.Cancelled, HistoryOutcome.Waitlisted));

        // Assert
        Assert.Equal(
            """
            👤 张三 @zhang_san
            Telegram ID：5001 · 渠道：Telegram · 角色：普通成员
            首次出现：11月3日 周二 10:00（北京时间）
            报名 5 场：出席 1 · 未到 1 · 已取消 1 · 出席率 50%（1/2）
            场次（最近的在前）：
            · 2月17日 周三 19:30（北京时间） 第 0 场 — 待开始
            · 2月10日 周三 19:30（北京时间） 第 1 场 — 出席
            · 2月3日 周三 19:30（北京时间） 第 2 场 — 未到
            · 1月27日 周三 19:30（北京时间） 第 3 场 — 已取消
            · 1月20日 周三 19:30（北京时间） 第 4 场 — 候补
            """.ReplaceLineEndings("\n"),
            reply.Text);
        Assert.False(reply.IsHtml);
    }

    [Fact]
    public void In_English_the_same_card_reads_in_English()
    {
        var reply = new Texts(Language.English, Shanghai).MemberHistory(Member(HistoryOutcome.NoShow, HistoryOutcome.Attended, HistoryOutcome.Attended));

        Assert.Contains("Telegram id: 5001 · channel: Telegram · role: reader", reply.Text);
        Assert.Contains("First seen: Tue, Nov 3, 10:00 (Beijing time)", reply.Text);
        Assert.Contains("Signed up 3: attended 2 · no-shows 1 · cancelled 0 · show rate 67% (2/3)", reply.Text);
        Assert.Contains("· Wed, Feb 17, 19:30 (Beijing time) 第 0 场 — no-show", reply.Text);
    }

    [Fact]
    public void Beyond_twenty_sessions_the_rest_are_counted_and_the_longest_card_fits_one_message()
    {
        // Arrange: the longest of everything: a 64-character name, a 32-character username, long titles.
        var sessions = Enumerable.Range(0, 120).Select(i => new HistoryEntry(new string('题', 200), Wednesday.AddDays(-7 * i), HistoryOutcome.NoShow)).ToList();
        var member = new MemberHistory(5001, new string('名', 64), new string('u', 32), "admin", FirstSeen, sessions);

        // Act
        var reply = new Texts(Language.Chinese, Shanghai).MemberHistory(member);

        // Assert
        Assert.Equal(Texts.MemberHistoryMaxSessions, reply.Text.Split('\n').Count(l => l.StartsWith("· ", StringComparison.Ordinal)));
        Assert.EndsWith("\n…及另外 100 场", reply.Text, StringComparison.Ordinal);
        Assert.Contains("角色：管理员", reply.Text);
        Assert.True(reply.Text.Length <= 4096, $"{reply.Text.Length} characters");
    }

    [Fact]
    public void A_member_without_sessions_is_told_as_such()
    {
        var reply = new Texts(Language.English, Shanghai).MemberHistory(Member());

        Assert.EndsWith("First seen: Tue, Nov 3, 10:00 (Beijing time)\nHas not signed up for any session yet.", reply.Text, StringComparison.Ordinal);
    }
}
