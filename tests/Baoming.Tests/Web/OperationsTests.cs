using System.Net;
using System.Text.RegularExpressions;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Web;

/// <summary>Health, readiness and the job dashboard's door.</summary>
public sealed partial class OperationsTests
{
    private const long Admin = 9100;
    private const long Organizer = 9101;
    private const long Reader = 9102;

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

    [Theory]
    [InlineData("/hangfire", null)]
    [InlineData("/hangfire/jobs/enqueued", null)]
    [InlineData("/hangfire/stats", null)]
    [InlineData("/hangfire", "baoming_dashboard=9100.99999999999.AAAA")]
    [InlineData("/hangfire", "baoming_dashboard=garbage")]
    [InlineData("/dashboard/login?ticket=9100.99999999999.AAAA", null)]
    [InlineData("/dashboard/login", null)]
    public async Task The_dashboard_refuses_anyone_without_a_valid_pass(string path, string? cookie)
    {
        await using var bot = await StartAsync();

        var (status, body) = await bot.GetAsync(path, cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("/dashboard", body);
    }

    [Fact]
    public async Task Organizers_log_in_with_a_link_from_the_bot_and_get_a_read_only_dashboard()
    {
        await using var bot = await StartAsync();

        var cookie = await LogInAsync(bot, Organizer);
        var (status, page) = await bot.GetAsync("/hangfire/recurring", cookie);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Baoming jobs", page);
        Assert.Contains("inbox-cleanup", page);
        Assert.DoesNotContain("recurring/trigger", page);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from audit_log where actor_id = @Organizer and action = 'dashboard.login'", new { Organizer }));
    }

    [Fact]
    public async Task Admins_get_the_full_dashboard()
    {
        await using var bot = await StartAsync();

        var cookie = await LogInAsync(bot, Admin);
        var (status, page) = await bot.GetAsync("/hangfire/recurring", cookie);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("recurring/trigger", page);
    }

    [Fact]
    public async Task Readers_get_no_link_and_a_revoked_organizer_is_out_at_once()
    {
        await using var bot = await StartAsync();
        var refused = await bot.AskAsync(Reader, "/dashboard");
        Assert.Contains("只有组织者或管理员", refused.Text);
        Assert.DoesNotContain("ticket=", refused.Text);

        await bot.AskAsync(Admin, $"/grant organizer {Reader}");
        var cookie = await LogInAsync(bot, Reader);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", cookie)).Status);

        await bot.AskAsync(Admin, $"/revoke {Reader}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", cookie)).Status);
    }

    [Fact]
    public async Task A_login_link_names_its_member_and_cannot_be_altered()
    {
        await using var bot = await StartAsync();
        var ticket = TicketIn((await bot.AskAsync(Organizer, "/dashboard")).Text);

        // The admin's id with the organizer's signature: refused.
        var forged = Admin + ticket[ticket.IndexOf('.', StringComparison.Ordinal)..];
        using var client = NoRedirects(bot);
        using var response = await client.GetAsync($"/dashboard/login?ticket={forged}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    /// <summary>/dashboard in the chat, then the link: returns the cookie the login set.</summary>
    private static async Task<string> LogInAsync(BotHarness bot, long member)
    {
        var reply = await bot.AskAsync(member, "/dashboard");
        Assert.Contains("10 分钟内有效", reply.Text);
        var ticket = TicketIn(reply.Text);

        using var client = NoRedirects(bot);
        using var response = await client.GetAsync($"/dashboard/login?ticket={ticket}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        return setCookie.Split(';')[0];
    }

    private static string TicketIn(string text) => TicketPattern().Match(text) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException("no login link in: " + text);

    private static HttpClient NoRedirects(BotHarness bot) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = bot.BaseAddress };

    [GeneratedRegex(@"/dashboard/login\?ticket=([0-9A-Za-z._-]+)")]
    private static partial Regex TicketPattern();

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
