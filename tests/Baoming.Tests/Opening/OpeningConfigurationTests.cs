using System.Globalization;
using Baoming.Signup;
using Baoming.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Baoming.Tests.Opening;

/// <summary><c>Sessions:N:OpensAt</c>: checked at start-up, synced and re-synced; and the table's own guard on an early seat.</summary>
public sealed class OpeningConfigurationTests
{
    private static readonly DateTime OpensUtc = new(2027, 1, 24, 2, 0, 0);

    private static readonly long[] TwoMembers = [7001, 7002];
    private static readonly string[] TwoStatuses = ["confirmed", "waitlisted"];
    private static readonly string?[] TwoSources = [null, "wx"];

    private static Dictionary<string, string?> MetaverseOpens(string? opensAt) => new() { ["Sessions:1:OpensAt"] = opensAt };

    [Fact]
    public async Task A_configured_opening_time_is_synced_and_a_changed_or_removed_one_re_synced_at_restart()
    {
        string connectionString;
        long sessionId;
        await using (var first = await BotHarness.StartAsync(MetaverseOpens("2027-01-24T10:00:00+08:00")))
        {
            connectionString = first.ConnectionString;
            sessionId = await first.SessionIdAsync("metaverse");
            Assert.Equal(OpensUtc, await first.ScalarAsync<DateTime?>("select opens_at from sessions where id = @sessionId", new { sessionId }));
        }

        await using (var second = await BotHarness.StartAsync(MetaverseOpens("2027-01-25T10:00:00+08:00"), connectionString: connectionString))
        {
            Assert.Equal(OpensUtc.AddDays(1), await second.ScalarAsync<DateTime?>("select opens_at from sessions where id = @sessionId", new { sessionId }));
            Assert.Contains("1月25日 周一 10:00（北京时间）开放报名", (await second.AskAsync(5001, "报名 元宇宙")).Text);
        }

        await using var third = await BotHarness.StartAsync(connectionString: connectionString);

        Assert.Null(await third.ScalarAsync<DateTime?>("select opens_at from sessions where id = @sessionId", new { sessionId }));
        // Each change (not the first insert, not an unchanged restart) is a session-changed follow-up, for the series' invitations.
        Assert.Equal(2, await third.ScalarAsync<long>(
            "select count(*) from follow_ups where kind = 'session-changed' and argument = @id", new { id = sessionId.ToString(CultureInfo.InvariantCulture) }));
        Assert.Contains("报名成功", (await third.AskAsync(5001, "报名 元宇宙")).Text);
    }

    [Theory]
    [InlineData("2027-02-17T20:00:00+08:00")]
    [InlineData("2027-02-18T09:00:00+08:00")]
    public void An_opening_time_not_before_the_start_stops_start_up_naming_the_key(string opensAt)
    {
        var refused = SessionCatalogRefusal.Of("OpensAt", opensAt);

        Assert.Contains($"Sessions:N:OpensAt ({DateTimeOffset.Parse(opensAt, CultureInfo.InvariantCulture):O}) of the session \"metaverse\" must be before its Sessions:N:StartsAt (2027-02-17T20:00:00.0000000+08:00)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_up_insert_itself_seats_nobody_before_the_opening_time()
    {
        await using var bot = await BotHarness.StartAsync(MetaverseOpens("2027-01-24T10:00:00+08:00"));
        var sessionId = await bot.SessionIdAsync("metaverse");
        await using var connection = new NpgsqlConnection(bot.ConnectionString);
        await connection.ExecuteAsync("insert into members (id, display_name) values (7001, '甲'), (7002, '乙')");
        var opens = new DateTimeOffset(OpensUtc, TimeSpan.Zero);

        // As if the rules had said yes before the time: the statement stores nothing and moves no counter.
        var early = await connection.QueryAsync<long>(RegistrationStore.SignUpBatchSql, new
        {
            sessionId,
            memberIds = TwoMembers,
            statuses = TwoStatuses,
            sources = TwoSources,
            decidedAt = new[] { opens.AddTicks(-10), opens.AddDays(-1) },
        });
        Assert.Empty(early);
        Assert.Equal((0L, 0, 0), (await connection.QueryAsync<(long, int, int)>(
            "select (select count(*) from registrations where session_id = @sessionId), confirmed_count, waitlisted_count from sessions where id = @sessionId",
            new { sessionId })).Single());

        var onTime = await connection.QueryAsync<long>(RegistrationStore.SignUpBatchSql, new
        {
            sessionId,
            memberIds = TwoMembers,
            statuses = TwoStatuses,
            sources = TwoSources,
            decidedAt = new[] { opens, opens.AddMinutes(1) },
        });
        Assert.Equal([7001L, 7002L], onTime.Order());
        Assert.Equal((2L, 1, 1), (await connection.QueryAsync<(long, int, int)>(
            "select (select count(*) from registrations where session_id = @sessionId), confirmed_count, waitlisted_count from sessions where id = @sessionId",
            new { sessionId })).Single());
    }
}
