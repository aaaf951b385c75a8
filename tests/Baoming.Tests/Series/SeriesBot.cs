using System.Globalization;
using Baoming.Delivery;
using Baoming.Series;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoming.Tests.Series;

/// <summary>The series' test data (two series and a session in one) and helpers to run and inspect invitations.</summary>
public static class SeriesBot
{
    public const long Organizer = 9001;

    /// <summary>"选题会" (key topics, alias 选题) and "读书会" (key books).</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Series:0:Key"] = "topics",
            ["Series:0:Title"] = "选题会",
            ["Series:0:Aliases:0"] = "选题",
            ["Series:1:Key"] = "books",
            ["Series:1:Title"] = "读书会",
            ["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture),
            // The sample's metaverse session is the first of the series.
            ["Sessions:1:Series"] = "topics",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>One more session of the series at <paramref name="index"/> (2 and up).</summary>
    public static Dictionary<string, string?> NextSession(int index, string key, DateTimeOffset startsAt, DateTimeOffset? opensAt = null, string series = "topics")
    {
        var settings = BotHarness.ExtraSession(index, key, $"选题会第{index}期", startsAt);
        settings[$"Sessions:{index}:Series"] = series;
        settings[$"Sessions:{index}:Description"] = "聊聊下一期的选题";
        if (opensAt is { } opens)
        {
            settings[$"Sessions:{index}:OpensAt"] = opens.ToString("O", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>Runs a session's invitation at once, as its Hangfire job would when due.</summary>
    public static Task<DeliveryStats> InviteAsync(BotHarness bot, long sessionId) =>
        bot.Host.Services.GetRequiredService<FanOut>().RunAsync(InvitationTopic.Key(sessionId), null, CancellationToken.None);

    public static Task<InvitationPlan?> PlanAsync(BotHarness bot, long sessionId) =>
        bot.Host.Services.GetRequiredService<InvitationStore>().FindAsync(sessionId, CancellationToken.None);

    public static bool IsInvitation(SentMessage message) => message.Text.StartsWith("📣「选题会」", StringComparison.Ordinal);

    /// <summary>Members who follow the series, written straight in (members first: follows reference them).</summary>
    public static async Task FollowAsync(string connectionString, string seriesKey, IEnumerable<long> members)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var member in members)
        {
            await using var command = new NpgsqlCommand(
                """
                insert into members (id, display_name) values (@id, @name) on conflict (id) do nothing;
                insert into series_follows (member_id, series_id, source) select @id, id, 'chat' from series where key = @key on conflict do nothing;
                """, connection);
            command.Parameters.AddWithValue("id", member);
            command.Parameters.AddWithValue("name", $"读者{member}");
            command.Parameters.AddWithValue("key", seriesKey);
            await command.ExecuteNonQueryAsync();
        }
    }
}
