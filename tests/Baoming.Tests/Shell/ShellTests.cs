using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Shell;

/// <summary>The <c>shell</c> verb, run as its own process and driven through standard input.</summary>
public sealed class ShellTests
{
    /// <summary>The shell on a test database: one it did not start, so it has to be allowed.</summary>
    private const string OnTestDatabase = "shell --allow-production";

    private static async Task<Dictionary<string, string?>> DatabaseAsync()
    {
        var environment = BaomingProcess.UpcomingSessions();
        environment["ConnectionStrings__Postgres"] = await TestPostgres.CreateDatabaseAsync();
        return environment;
    }

    [Fact]
    public async Task I_can_sign_up_by_typing_报名_and_a_button_number()
    {
        var result = await BaomingProcess.RunAsync(OnTestDatabase, "报名\n1\n我的报名\n", await DatabaseAsync());

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("[1] 报名：汽车产业的话题交流", result.Output);
        Assert.Contains("[2] 报名：到底什么是\"元宇宙\"", result.Output);
        Assert.Contains("报名成功", result.Output);
        var list = result.Output[result.Output.LastIndexOf("> 我的报名", StringComparison.Ordinal)..];
        Assert.Contains("汽车产业的话题交流", list);
        Assert.Contains("已报名", list);
    }

    [Fact]
    public async Task Signing_up_twice_cancelling_and_listing_work_in_the_shell()
    {
        var result = await BaomingProcess.RunAsync(OnTestDatabase, "报名 元宇宙\n报名 元宇宙\n取消报名\n我的报名\n", await DatabaseAsync());

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("报名成功", result.Output);
        Assert.Contains("已经报名", result.Output);
        Assert.Contains("已取消", result.Output);
        Assert.Contains("没有报名任何场次", result.Output[result.Output.LastIndexOf("> 我的报名", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Different_members_in_the_shell_have_their_own_sign_ups()
    {
        var environment = await DatabaseAsync();
        await BaomingProcess.RunAsync(OnTestDatabase + " --user 42", "报名 汽车\n", environment);

        var other = await BaomingProcess.RunAsync(OnTestDatabase + " --user 43 --lang en", "my\n", environment);

        Assert.True(other.ExitCode == 0, other.Error);
        Assert.Contains("haven't signed up", other.Output);
    }

    [Fact]
    public async Task Run_without_a_token_stops_with_one_message_naming_the_key_and_pointing_at_the_shell()
    {
        var result = await BaomingProcess.RunAsync("run", "", await DatabaseAsync());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Telegram:BotToken", result.Error);
        Assert.Contains("-- shell", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_wrong_setting_stops_start_up_with_a_message_naming_the_key()
    {
        var environment = await DatabaseAsync();
        environment["Community__TimeZone"] = "Mars/Olympus_Mons";

        var result = await BaomingProcess.RunAsync(OnTestDatabase, "报名\n", environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Community:TimeZone", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task The_embedded_default_keeps_sign_ups_between_starts_and_stops_its_server()
    {
        var data = Path.Combine(Path.GetTempPath(), "baoming-shell-" + Guid.NewGuid().ToString("N"));
        var environment = BaomingProcess.UpcomingSessions();
        environment["EmbeddedPostgres__DataDirectory"] = data;
        try
        {
            var first = await BaomingProcess.RunAsync("shell", "报名\n1\n", environment, TimeSpan.FromMinutes(3));
            Assert.True(first.ExitCode == 0, first.Error);
            Assert.Contains("报名成功", first.Output);
            Assert.False(File.Exists(Path.Combine(data, "pgdata", "postmaster.pid")), "the server was left running");

            var second = await BaomingProcess.RunAsync("shell", "我的报名\n", environment, TimeSpan.FromMinutes(2));

            Assert.True(second.ExitCode == 0, second.Error);
            Assert.Contains("汽车产业的话题交流", second.Output);
            Assert.Contains("已报名", second.Output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_fresh_shell_with_nothing_configured_offers_the_sample_sessions()
    {
        var data = Path.Combine(Path.GetTempPath(), "baoming-shell-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await BaomingProcess.RunAsync("shell", "报名\n", new Dictionary<string, string?> { ["EmbeddedPostgres__DataDirectory"] = data }, TimeSpan.FromMinutes(3));

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("报名：汽车产业的话题交流", result.Output);
            Assert.Contains("报名：到底什么是\"元宇宙\"", result.Output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
