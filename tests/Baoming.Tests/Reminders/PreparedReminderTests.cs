using System.Globalization;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Reminders;

/// <summary>
/// A reminder's ledger rows are written shortly before its due time (Reminders:PrepareAhead) and topped up at
/// the due time: sign-ups and cancellations in between count, nothing goes out early, and a restart between
/// the preparation and the due time sends each registrant the reminder once.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class PreparedReminderTests
{
    private const long Organizer = 900;

    private static bool IsReminder(SentMessage message) => message.Text.StartsWith('⏰');

    /// <summary>A session starting in <paramref name="startsIn"/>, reminded <paramref name="before"/> it, its job <paramref name="ahead"/> early.</summary>
    private static Dictionary<string, string?> Settings(TimeSpan startsIn, TimeSpan before, TimeSpan ahead, int capacity = 0)
    {
        var settings = BotHarness.ExtraSession(2, "soon", "马上开始的soon", DateTimeOffset.UtcNow + startsIn, capacity);
        settings["Sessions:2:ReminderOffsets:0"] = before.ToString("c", CultureInfo.InvariantCulture);
        settings["Reminders:PrepareAhead"] = ahead.ToString("c", CultureInfo.InvariantCulture);
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    private static async Task<DateTimeOffset> DueAtAsync(BotHarness bot) =>
        new(await bot.ScalarAsync<DateTime>("select due_at from reminder_slots rs join sessions s on s.id = rs.session_id where s.key = 'soon'"), TimeSpan.Zero);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var patience = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (patience.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Sign_ups_cancellations_and_promotions_between_the_preparation_and_the_due_time_count_and_nothing_goes_early()
    {
        // Due in ~20 s, prepared from ~10 s (after the three sign-ups below).
        await using var bot = await BotHarness.StartAsync(Settings(TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), capacity: 2), realTime: true);
        Assert.Contains("报名成功", (await bot.AskAsync(1, "报名 soon")).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(2, "报名 soon")).Text);
        Assert.Contains("候补", (await bot.AskAsync(3, "报名 soon")).Text);
        var dueAt = await DueAtAsync(bot);

        await WaitUntilAsync(async () => await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%'") == 3, TimeSpan.FromSeconds(20), "the ledger is prepared");
        Assert.True(DateTimeOffset.UtcNow < dueAt - TimeSpan.FromSeconds(1), "prepared too late to test the top-up");
        Assert.Equal(3, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and state = 'pending' and not_before = @dueAt", new { dueAt = dueAt.UtcDateTime }));

        // Between the preparation and the due time: 2 cancels (3 moves up from the waitlist), 4 signs up (waitlisted).
        Assert.Contains("已取消", (await bot.AskAsync(2, "取消报名")).Text);
        await bot.Telegram.WaitForMessageAsync(3, m => m.Text.Contains("候补转为正式", StringComparison.Ordinal));
        Assert.Contains("候补", (await bot.AskAsync(4, "报名 soon")).Text);
        Assert.True(DateTimeOffset.UtcNow < dueAt, "the changes came after the due time: the top-up was not tested");
        Assert.DoesNotContain(bot.Telegram.SentMessages, IsReminder);

        var report = await bot.Telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(40));
        Assert.Contains("已送达 3", report.Text);

        var reminders = bot.Telegram.SentMessages.Where(IsReminder).ToList();
        Assert.All(reminders, m => Assert.True(m.SentAt >= dueAt, $"reminded at {m.SentAt:O}, before the due time {dueAt:O}"));
        Assert.Contains("https://meeting.example.com/soon", Assert.Single(bot.Telegram.MessagesTo(1), IsReminder).Text);
        // Promoted after the preparation: the confirmed wording, with the link.
        Assert.Contains("https://meeting.example.com/soon", Assert.Single(bot.Telegram.MessagesTo(3), IsReminder).Text);
        // Signed up after the preparation, waitlisted: reminded, without the link.
        Assert.DoesNotContain("meeting.example.com", Assert.Single(bot.Telegram.MessagesTo(4), IsReminder).Text);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(2), IsReminder);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and member_id = 2"));
        Assert.Equal(3, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and state = 'sent'"));
    }

    [Fact]
    public async Task A_restart_between_the_preparation_and_the_due_time_reminds_each_registrant_once()
    {
        const int Members = 40;
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        // Due in ~16 s, prepared from ~6 s (after the sign-ups below); the second bot runs the job again.
        var settings = Settings(TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10));
        settings["Jobs:InvisibilityTimeout"] = "00:00:05";
        DateTimeOffset dueAt;
        await using (var first = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            await ReminderData.SignUpAsync(database, "soon", Enumerable.Range(3000, Members).Select(i => (long)i));
            dueAt = await DueAtAsync(first);

            await WaitUntilAsync(
                () => Task.FromResult(first.Logs.Lines.Any(l => l.Contains("prepared; it is due in", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(12),
                "the job has prepared the ledger and waits for the due time");
            Assert.Equal(Members, await first.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and state = 'pending' and not_before is not null"));
            Assert.True(DateTimeOffset.UtcNow < dueAt - TimeSpan.FromSeconds(2), "the first bot reached the due time: nothing was tested");
        }

        Assert.DoesNotContain(telegram.SentMessages, IsReminder);
        Assert.Equal(0, await ScalarAsync(database, "select count(*) from deliveries where topic like 'reminder:%' and state <> 'pending'"));

        await using var second = await BotHarness.StartAsync(settings, telegram, database, realTime: true);
        await telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(45));

        for (var member = 3000; member < 3000 + Members; member++)
        {
            var reminder = Assert.Single(telegram.MessagesTo(member), IsReminder);
            Assert.True(reminder.SentAt >= dueAt, $"reminded at {reminder.SentAt:O}, before the due time {dueAt:O}");
        }

        Assert.Equal(Members, await second.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and state = 'sent'"));
        Assert.Equal(Members, await second.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%'"));
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
