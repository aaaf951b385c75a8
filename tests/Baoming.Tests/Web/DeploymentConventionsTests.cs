using System.Text;
using System.Text.Json;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Web;

/// <summary>What the deployment files rely on, checked on the real binary: secret files, JSON logs, SIGTERM.</summary>
public sealed class DeploymentConventionsTests
{
    [Theory]
    [InlineData("Telegram__Mode", "Webhook", "Telegram:WebhookUrl must be the public https URL")]
    [InlineData("Telegram__Mode", "Webhook", "Telegram:WebhookSecret is required")]
    [InlineData("Http__Urls", "ftp://0.0.0.0:21", "Http:Urls must be one or more http(s) URLs")]
    [InlineData("Http__PublicUrl", "bot.example.org", "Http:PublicUrl must be an absolute http(s) URL")]
    [InlineData("Telegram__WebhookSecret", "has spaces", "Telegram:WebhookSecret must be 32-256 characters")]
    [InlineData("Telegram__WebhookSecret", "0123456789abcdef0123456789ABCDE", "Telegram:WebhookSecret must be 32-256 characters")]
    public async Task Wrong_web_settings_stop_run_at_once_with_one_line_naming_the_key(string key, string value, string expected)
    {
        // The database is unreachable on purpose: settings are checked before anything waits for it.
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1",
            ["Telegram__BotToken"] = FakeBotApi.Token,
            [key] = value,
        };

        var result = await BaomingProcess.RunAsync("run", "", environment, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(FakeBotApi.Token, result.Error + result.Output);
    }

    [Fact]
    public async Task The_token_comes_from_a_secret_file_logs_are_JSON_lines_with_the_update_and_SIGTERM_exits_cleanly()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var secrets = Directory.CreateTempSubdirectory("baoming-secrets-");
        try
        {
            // As docker secrets and systemd credentials are written: one file per key, often with a final newline.
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "Telegram__BotToken"), FakeBotApi.Token + "\n");
            var environment = BaomingProcess.UpcomingSessions();
            environment["BAOMING_SECRETS_DIR"] = secrets.FullName;
            environment["ConnectionStrings__Postgres"] = database;
            environment["Telegram__ApiBaseUrl"] = telegram.BaseUrl;
            environment["Telegram__PollTimeoutSeconds"] = "1";
            environment["Http__Urls"] = "http://127.0.0.1:0";
            environment["Logging__Console__FormatterName"] = "json";
            environment["Logging__LogLevel__Default"] = "Debug";
            var log = new StringBuilder();

            using var bot = BaomingProcess.Start("run", environment, log);
            try
            {
                var updateId = telegram.EnqueueUpdate(FakeBotApi.TextUpdate(7201, "报名 元宇宙"));
                await telegram.WaitForMessageAsync(7201, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

                BaomingProcess.Terminate(bot);
                using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45)))
                {
                    await bot.WaitForExitAsync(patience.Token);
                }

                Assert.Equal(0, bot.ExitCode);
                var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.NotEmpty(lines);
                var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
                Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _) && e.TryGetProperty("LogLevel", out _), e.ToString()));
                Assert.Contains(entries, e => e.TryGetProperty("Scopes", out var scopes)
                    && scopes.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("UpdateId", out var id) && id.GetInt64() == updateId));
                Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Now listening on: http://127.0.0.1:", StringComparison.Ordinal));
                Assert.DoesNotContain(FakeBotApi.Token, log.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], log.ToString(), StringComparison.Ordinal);
            }
            finally
            {
                if (!bot.HasExited)
                {
                    bot.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Webhook_mode_without_a_connection_string_stops_at_once_naming_the_key()
    {
        var environment = new Dictionary<string, string?>
        {
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__Mode"] = "Webhook",
            ["Telegram__WebhookUrl"] = "https://bot.example.test/telegram/webhook",
            ["Telegram__WebhookSecret"] = "test-Secret_0123456789_abcdefghijk",
            // Where the embedded cluster would go, were it started: it must not be.
            ["EmbeddedPostgres__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"baoming-never-{Guid.NewGuid():N}"),
        };

        var result = await BaomingProcess.RunAsync("run", "", environment, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ConnectionStrings:Postgres", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(environment["EmbeddedPostgres__DataDirectory"]));
    }

    [Theory]
    [InlineData("Telegram__MaxMessagePerSecond", "5", "Unknown setting Telegram:MaxMessagePerSecond", "did you mean Telegram:MaxMessagesPerSecond?")]
    [InlineData("Community__Admin__0", "1", "Unknown setting Community:Admin", "did you mean Community:Admins?")]
    [InlineData("Sessions__0__Titel", "x", "Unknown setting Sessions:0:Titel", "did you mean Sessions:0:Title?")]
    [InlineData("Http__Url", "http://127.0.0.1:0", "Unknown setting Http:Url", "did you mean Http:Urls?")]
    public async Task A_misspelt_setting_stops_start_up_with_one_line_naming_it_and_the_nearest_key(string key, string value, string expected, string suggestion)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1",
            ["Telegram__BotToken"] = FakeBotApi.Token,
            [key] = value,
        };

        var result = await BaomingProcess.RunAsync("run", "", environment, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Contains(suggestion, result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("run --bogus", "--bogus")]
    [InlineData("nosuchverb", "nosuchverb")]
    public async Task A_command_line_error_prints_the_error_not_the_help_on_standard_error_and_exits_2(string arguments, string expected)
    {
        var result = await BaomingProcess.RunAsync(arguments, "", new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1" }, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("Description:", result.Error);
    }
}
