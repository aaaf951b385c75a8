using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Dapper;
using Npgsql;

namespace Baoming.Tests.Shell;

/// <summary>
/// The shell pointed at a database it did not start (a configured <c>ConnectionStrings:Postgres</c>,
/// as <c>docker compose run … shell</c> would do): refused unless asked for, and then it never runs
/// the bot's jobs, never writes a demo session, and audits with the operating-system user.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ShellOnProductionTests
{
    private const string AllowProduction = "--allow-production";

    private static Dictionary<string, string?> Configured(string connectionString) => new() { ["ConnectionStrings__Postgres"] = connectionString };

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    [Fact]
    public async Task The_shell_refuses_a_configured_database_without_allow_production()
    {
        var database = await TestPostgres.CreateDatabaseAsync();

        var result = await BaomingProcess.RunAsync("shell", "报名\n", Configured(database));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("ConnectionStrings:Postgres", line);
        Assert.Contains(AllowProduction, line);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("shell --demo")]
    [InlineData("shell --demo --allow-production")]
    public async Task The_demo_is_refused_on_a_configured_database(string arguments)
    {
        var database = await TestPostgres.CreateDatabaseAsync();

        var result = await BaomingProcess.RunAsync(arguments, "报名\n", Configured(database));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("--demo", line);
        Assert.Equal("", result.Output);
        // Refused before touching the database: not even migrated.
        Assert.Equal(0L, await ScalarAsync<long>(database, "select count(*) from information_schema.tables where table_name = 'sessions'"));
    }

    [Fact]
    public async Task The_shell_on_a_configured_database_leaves_a_due_reminder_to_the_bot()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(50);
        var reminderAt = startsAt.AddSeconds(-30);
        var settings = BotHarness.ExtraSession(2, "soon", "马上开始的soon", startsAt);
        settings["Sessions:2:ReminderOffsets:0"] = "00:00:30";
        await using (var bot = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            Assert.Contains("报名成功", (await bot.AskAsync(1, "报名 soon")).Text);
        }

        // The shell stays up past the reminder's time: job workers in it would take the reminder and print it.
        var shell = await BaomingProcess.RunAsync(
            "shell " + AllowProduction, "我的报名\n", Configured(database), TimeSpan.FromSeconds(90), reminderAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(8));

        Assert.True(shell.ExitCode == 0, shell.Error);
        Assert.False(shell.Output.Contains("→ member 1", StringComparison.Ordinal), shell.Output);
        Assert.DoesNotContain("⏰", shell.Output);
        Assert.Equal(0L, await ScalarAsync<long>(database, "select count(*) from deliveries where topic like 'reminder:%' and state = 'sent'"));

        // The bot's own workers send it.
        await using var after = await BotHarness.StartAsync(settings, telegram, database, realTime: true);
        var reminder = await telegram.WaitForMessageAsync(1, m => m.Text.StartsWith('⏰'), TimeSpan.FromSeconds(30));
        Assert.Contains("马上开始的soon", reminder.Text);
    }

    [Fact]
    public async Task Actions_from_the_shell_are_audited_with_the_operating_system_user()
    {
        var database = await TestPostgres.CreateDatabaseAsync();

        var result = await BaomingProcess.RunAsync("shell --as admin " + AllowProduction, "/grant organizer 4242\n", Configured(database));

        Assert.True(result.ExitCode == 0, result.Error);
        var user = await ScalarAsync<string?>(database, "select os_user from audit_log where action = 'grant'");
        Assert.Equal(Environment.UserName, user);
    }
}
