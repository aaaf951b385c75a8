using System.Globalization;
using Baoming.AfterSession;
using Baoming.Delivery;
using Baoming.Tests.Export;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoming.Tests.AfterSession;

/// <summary>A session that has ended, with members who came, confirmed no-shows and others, for the after-session tests.</summary>
public static class AfterSessionData
{
    public const long Organizer = 9001;

    public static readonly long[] Came = [301, 302, 303];

    public static readonly long[] NoShows = [311, 312];

    /// <summary>Waitlisted (never had a seat) and cancelled: neither hears anything after the session.</summary>
    public static readonly long[] Others = [321, 322];

    public const string AttendedHtml = "<b>谢谢来参加！</b>\n回放和研报：<a href=\"https://example.com/replay\">点这里</a>";

    public const string NoShowHtml = "这次没见到你 😢 <i>回放</i>：https://example.com/replay";

    /// <summary>Configuration for session <paramref name="key"/> at index 2 with both follow-ups and the organizer.</summary>
    public static Dictionary<string, string?> Settings(string key, DateTimeOffset startsAt, int durationMinutes = 90, string? delay = null)
    {
        var settings = BotHarness.ExtraSession(2, key, $"会后的{key}", startsAt);
        settings["Sessions:2:DurationMinutes"] = durationMinutes.ToString(CultureInfo.InvariantCulture);
        settings["Sessions:2:FollowUpAttended"] = AttendedHtml;
        settings["Sessions:2:FollowUpNoShow"] = NoShowHtml;
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        if (delay is not null)
        {
            settings["AfterSession:Delay"] = delay;
        }

        return settings;
    }

    /// <summary>Registrations written straight in: three came (attendance recorded), two confirmed no-shows, one waitlisted, one cancelled.</summary>
    public static async Task SeedAsync(string connectionString, string key, DateTimeOffset registeredAt)
    {
        // Npgsql writes a timestamptz from a UTC value only.
        registeredAt = registeredAt.ToUniversalTime();
        await ExportData.SeedAsync(
            connectionString,
            key,
            [
                .. Came.Concat(NoShows).Select(id => new SeedRegistration(id, $"读者{id}", "confirmed", registeredAt)),
                new SeedRegistration(Others[0], "候补", "waitlisted", registeredAt, WaitlistSeq: 1),
                new SeedRegistration(Others[1], "取消了", "cancelled", registeredAt, CancelledAt: registeredAt.AddMinutes(1)),
            ]);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            "update registrations set attended_at = now(), attended_via = 'import' where member_id = any(@Came)",
            new { Came });
    }

    /// <summary>The session's planned run as stored.</summary>
    public static Task<AfterSessionPlan?> PlanAsync(BotHarness bot, long sessionId) =>
        bot.Host.Services.GetRequiredService<AfterSessionStore>().FindAsync(sessionId, CancellationToken.None);

    /// <summary>The topic of the session's planned run.</summary>
    public static async Task<TopicKey> TopicAsync(BotHarness bot, long sessionId) =>
        FollowUpTopic.Key(sessionId, (await PlanAsync(bot, sessionId))?.DueAt ?? throw new InvalidOperationException("no run planned"));

    /// <summary>Runs a fan-out at once, as its Hangfire job would when due.</summary>
    public static Task<DeliveryStats> RunAsync(BotHarness bot, TopicKey topic) =>
        bot.Host.Services.GetRequiredService<FanOut>().RunAsync(topic, null, CancellationToken.None);

    public static bool IsAttendedFollowUp(Fakes.SentMessage message) => message.Text == AttendedHtml;

    public static bool IsNoShowFollowUp(Fakes.SentMessage message) => message.Text == NoShowHtml;

    /// <summary>How many follow-ups of either kind <paramref name="member"/> received.</summary>
    public static int FollowUpsTo(Fakes.FakeBotApi telegram, long member) =>
        telegram.MessagesTo(member).Count(m => IsAttendedFollowUp(m) || IsNoShowFollowUp(m));
}
