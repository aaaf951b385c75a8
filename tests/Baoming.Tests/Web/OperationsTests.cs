using System.Net;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Web;

/// <summary>Health and readiness (the job dashboard's door: <see cref="DashboardTests"/>).</summary>
public sealed class OperationsTests
{
    private static Task<BotHarness> StartAsync(FakeBotApi? telegram = null) => BotHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Community:Admins:0"] = "9100",
        ["Community:Organizers:0"] = "9101",
    }, telegram);

    [Fact]
    public async Task Liveness_and_readiness_answer_once_the_bot_is_up()
    {
        await using var bot = await StartAsync();
        await bot.WaitUntilReadyAsync();

        var (live, liveBody) = await bot.GetAsync("/healthz");
        var (ready, readyBody) = await bot.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal("Healthy", liveBody);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("Healthy\ndatabase: Healthy\ntelegram: Healthy\n", readyBody);
    }

    [Fact]
    public async Task The_bot_is_not_ready_until_Telegram_has_answered()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var down = true;
        telegram.Fault = call => Volatile.Read(ref down) && call.Method == "getMe" ? FakeFailure.BadGateway() : null;
        await using var bot = await StartAsync(telegram);

        var (status, body) = await bot.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("telegram: Unhealthy", body);
        Assert.Contains("database: Healthy", body);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/healthz")).Status);

        Volatile.Write(ref down, false);
        await bot.WaitUntilReadyAsync();
    }

    [Fact]
    public async Task Readiness_names_the_failed_check_without_the_database_error_text()
    {
        var (connectionString, server) = await TestPostgres.StartDedicatedAsync();
        try
        {
            await using var bot = await BotHarness.StartAsync(connectionString: connectionString);
            await bot.WaitUntilReadyAsync();

            await server.DisposeAsync();
            var (status, body) = await bot.GetAsync("/readyz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("database: Unhealthy (unreachable)", body);
            var port = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.DoesNotContain(port, body);
            Assert.DoesNotContain("127.0.0.1", body);
            Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.Equal(["Unhealthy", "database: Unhealthy (unreachable)", "telegram: Healthy"], body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
