using System.Globalization;
using Baoming.Attendance;
using Baoming.Core.Understanding;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Attendance;

/// <summary>
/// The "starting now" message (the reminder slot at offset 0) and personal links in reminders, with a real
/// Hangfire server and the real clock: confirmed members get their own link and 我已入会, the waitlisted nothing
/// at the start; without <c>Http:PublicUrl</c> everyone gets the plain link, as before.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class StartingNowTests
{
    private const long Organizer = 910;
    private const string PublicUrl = "https://bot.example.test";

    /// <summary>
    /// A session starting in <paramref name="startsIn"/>, reminded 8 seconds before, with two seats; the
    /// starting-now message as shipped (<c>Reminders:AtStart</c> on), not as the harness has it for the
    /// other tests; or, with <paramref name="byOffset"/>, by an offset of zero with AtStart off.
    /// </summary>
    private static Dictionary<string, string?> LiveSession(TimeSpan startsIn, bool isPublic, bool byOffset = false)
    {
        var settings = BotHarness.ExtraSession(2, "live", "线上选题会", DateTimeOffset.UtcNow + startsIn, capacity: 2);
        settings["Sessions:2:ReminderOffsets:0"] = "00:00:08";
        if (byOffset)
        {
            settings["Sessions:2:ReminderOffsets:1"] = "00:00:00";
        }
        else
        {
            settings["Reminders:AtStart"] = "true";
        }

        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        if (isPublic)
        {
            settings["Http:PublicUrl"] = PublicUrl;
        }

        return settings;
    }

    [Fact]
    public void The_starting_now_message_is_on_unless_configured_off()
    {
        // DESIGN.md: at a session's start confirmed members get the join link and 我已入会, with no setting.
        Assert.True(new Baoming.Reminders.RemindersOptions().AtStart);
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.Zero], new Baoming.Reminders.RemindersOptions().OffsetsFor([TimeSpan.FromHours(1)]));
        Assert.Equal([TimeSpan.FromHours(1)], new Baoming.Reminders.RemindersOptions { AtStart = false }.OffsetsFor([TimeSpan.FromHours(1)]));
    }

    private static bool IsReminder(SentMessage message) => message.Text.StartsWith('⏰');

    private static bool IsStartingNow(SentMessage message) => message.Text.StartsWith("🔴", StringComparison.Ordinal);

    [Fact]
    public async Task At_the_start_confirmed_members_get_their_own_link_and_a_joined_button_that_records_attendance_once()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync(LiveSession(TimeSpan.FromSeconds(20), isPublic: true), realTime: true);
        Assert.Contains("报名成功", (await bot.AskAsync(1, "报名 live")).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(2, "报名 live")).Text);
        Assert.Contains("候补", (await bot.AskAsync(3, "报名 live")).Text);
        var sessionId = await bot.SessionIdAsync("live");
        var links = bot.Host.Services.GetRequiredService<JoinLinks>();
        string LinkOf(long member) => $"{PublicUrl}/j/{links.Token(sessionId, member)}";

        // Act: the reminder, then the starting-now message and its report.
        await bot.Telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("开始通知已发出", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        await links.LoadAsync(CancellationToken.None);

        // Assert: personal links, each member their own, in both messages; never the plain link.
        foreach (var member in new long[] { 1, 2 })
        {
            var reminder = Assert.Single(bot.Telegram.MessagesTo(member), IsReminder);
            var now = Assert.Single(bot.Telegram.MessagesTo(member), IsStartingNow);
            foreach (var message in new[] { reminder, now })
            {
                Assert.Contains(LinkOf(member), message.Text);
                Assert.DoesNotContain("meeting.example.com", message.Text);
            }

            Assert.Contains("线上选题会", now.Text);
            Assert.Equal([("✅ 我已入会", CallbackData.Attendance.Joined(sessionId))], now.Buttons().Select(b => (b.Text, b.CallbackData)));
        }

        Assert.DoesNotContain(LinkOf(1), Assert.Single(bot.Telegram.MessagesTo(2), IsStartingNow).Text);
        var waitlisted = Assert.Single(bot.Telegram.MessagesTo(3), IsReminder);
        Assert.DoesNotContain("/j/", waitlisted.Text);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(3), IsStartingNow);

        // 我已入会, twice: one attendance, and a kind word the second time.
        var joined = CallbackData.Attendance.Joined(sessionId);
        Assert.Equal("✅ 已记录你的出席，欢迎！", await bot.PressForNoticeAsync(1, joined));
        var first = await bot.QueryAsync<(DateTime, string)>("select attended_at, attended_via from registrations where member_id = 1");
        Assert.Equal("👌 已经记下你的出席了，不用再点啦。", await bot.PressForNoticeAsync(1, joined));
        Assert.Equal(first, await bot.QueryAsync<(DateTime, string)>("select attended_at, attended_via from registrations where member_id = 1"));
        Assert.Equal("button", Assert.Single(first).Item2);

        // The waitlisted member with the same data, and a forged session: the stale-button answer, no record.
        Assert.Equal("这个按钮已失效，请发送「报名」重新查看。", await bot.PressForNoticeAsync(3, joined));
        Assert.Equal("这个按钮已失效，请发送「报名」重新查看。", await bot.PressForNoticeAsync(2, CallbackData.Attendance.Joined(sessionId + 1000)));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where attended_at is not null"));
    }

    [Fact]
    public async Task Without_a_public_url_the_reminders_carry_the_plain_join_link()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync(LiveSession(TimeSpan.FromSeconds(14), isPublic: false, byOffset: true), realTime: true);
        Assert.Contains("报名成功", (await bot.AskAsync(1, "报名 live")).Text);

        // Act
        await bot.Telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("开始通知已发出", StringComparison.Ordinal), TimeSpan.FromSeconds(40));

        // Assert
        foreach (var message in new[] { Assert.Single(bot.Telegram.MessagesTo(1), IsReminder), Assert.Single(bot.Telegram.MessagesTo(1), IsStartingNow) })
        {
            Assert.Contains("https://meeting.example.com/live", message.Text);
            Assert.DoesNotContain("/j/", message.Text);
        }
    }
}
