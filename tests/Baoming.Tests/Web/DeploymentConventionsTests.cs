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
    [InlineData("Telegram__WebhookSecret", "has spaces", "Telegram:WebhookSecret must be 1-256 characters")]
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
}
