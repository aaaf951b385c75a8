using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Web;

/// <summary>
/// The job dashboard's door: a single-use ticket from the bot, exchanged by POST for a server-side
/// session that idling, eight hours, a lower role or logging out ends.
/// </summary>
public sealed partial class DashboardTests
{
    private const long Admin = 9100;
    private const long Organizer = 9101;
    private const long Reader = 9102;

    private static Task<BotHarness> StartAsync(FakeBotApi? telegram = null, string? database = null) => BotHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Community:Admins:0"] = "9100",
        ["Community:Organizers:0"] = "9101",
    }, telegram, database);

    [Theory]
    [InlineData("/hangfire", null)]
    [InlineData("/hangfire/jobs/enqueued", null)]
    [InlineData("/hangfire/stats", null)]
    [InlineData("/hangfire", "baoming_dashboard_session=9100.99999999999.AAAA")]
    [InlineData("/hangfire", "baoming_dashboard=9100.99999999999.AAAA")]
    [InlineData("/hangfire", "baoming_dashboard_session=garbage")]
    public async Task The_dashboard_refuses_anyone_without_a_session(string path, string? cookie)
    {
        await using var bot = await StartAsync();

        var (status, body) = await bot.GetAsync(path, cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("/dashboard", body);
    }

    [Theory]
    [InlineData("9100.99999999999.AAAA")]
    [InlineData("")]
    [InlineData("garbage")]
    public async Task A_made_up_ticket_is_refused(string ticket)
    {
        await using var bot = await StartAsync();

        var login = await PostTicketAsync(bot, ticket);

        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
        Assert.Null(login.Cookie);
        Assert.Contains("/dashboard", login.Body);
    }

    [Fact]
    public async Task Organizers_log_in_with_a_link_from_the_bot_and_get_a_read_only_dashboard()
    {
        await using var bot = await StartAsync();

        var cookie = await LogInAsync(bot, Organizer);
        var (status, page) = await bot.GetAsync("/hangfire/recurring", cookie);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Baoming jobs", page);
        // The recurring jobs are listed (the admins' test sees their trigger button), without that button.
        Assert.Contains("Recurring Jobs", page);
        Assert.DoesNotContain("recurring/trigger", page);
        Assert.Contains("href=\"/dashboard/logout\"", page);
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
    public async Task The_ticket_travels_in_the_links_fragment_and_the_login_page_posts_it()
    {
        await using var bot = await StartAsync();

        var reply = await bot.AskAsync(Organizer, "/dashboard");
        var (status, page) = await bot.GetAsync("/dashboard/login");

        // A fragment never reaches a server: not this one's request line, not the proxy's access log.
        Assert.Matches(@"/dashboard/login#ticket=[0-9A-Za-z_-]{40,}", reply.Text);
        Assert.DoesNotContain("?ticket=", reply.Text);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<form method=\"post\" action=\"/dashboard/login\"", page);
        Assert.Contains("location.hash", page);
    }

    [Fact]
    public async Task The_login_pages_script_is_the_only_one_its_policy_lets_run()
    {
        await using var bot = await StartAsync();

        using var client = NoRedirects(bot);
        using var response = await client.GetAsync("/dashboard/login");
        var page = await response.Content.ReadAsStringAsync();

        // A browser hashes the script element's text exactly: one changed character and nobody logs in.
        var script = Assert.Single(Regex.Matches(page, "<script>(.*?)</script>", RegexOptions.Singleline)).Groups[1].Value;
        var policy = string.Join("; ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Behind_an_https_address_the_link_names_it_and_the_cookie_is_secure()
    {
        // The proxy terminates TLS: the request arrives as plain http, the public address says https.
        await using var bot = await BotHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Community:Organizers:0"] = "9101",
            ["Http:PublicUrl"] = "https://bot.example.org",
        });

        var reply = await bot.AskAsync(Organizer, "/dashboard");
        var login = await PostTicketAsync(bot, TicketPattern().Match(reply.Text).Groups[1].Value);

        Assert.Contains("https://bot.example.org/dashboard/login#ticket=", reply.Text);
        Assert.Equal(HttpStatusCode.SeeOther, login.Status);
        Assert.Contains("; secure", login.SetCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_ticket_works_once()
    {
        await using var bot = await StartAsync();
        var ticket = await TicketAsync(bot, Organizer);

        var first = await PostTicketAsync(bot, ticket);
        var second = await PostTicketAsync(bot, ticket);

        Assert.Equal(HttpStatusCode.SeeOther, first.Status);
        Assert.NotNull(first.Cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Null(second.Cookie);
    }

    [Fact]
    public async Task A_ticket_expires_after_two_minutes()
    {
        await using var bot = await StartAsync();
        var ticket = await TicketAsync(bot, Organizer);

        bot.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var login = await PostTicketAsync(bot, ticket);

        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
        Assert.Null(login.Cookie);
    }

    [Fact]
    public async Task The_cookie_is_a_random_session_id_and_the_bot_token_mints_nothing()
    {
        await using var bot = await StartAsync();
        var cookie = await LogInAsync(bot, Admin);

        // What the bot token used to sign: an admin's pass for the next year, made without asking anyone.
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("baoming/dashboard/v1"), Encoding.UTF8.GetBytes(FakeBotApi.Token));
        var body = string.Create(CultureInfo.InvariantCulture, $"{Admin}.{bot.Time.GetUtcNow().AddYears(1).ToUnixTimeSeconds()}");
        var minted = $"{body}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"session:{body}")))}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", $"baoming_dashboard={minted}")).Status);
        Assert.DoesNotContain(Admin.ToString(CultureInfo.InvariantCulture), cookie);
        // The database keeps only a hash of the id: a copy of the table lets nobody in.
        var id = cookie[(Baoming.Web.Dashboard.CookieName.Length + 1)..];
        Assert.Equal(Admin, await bot.ScalarAsync<long>("select member_id from dashboard_sessions where id_hash = sha256(convert_to(@id, 'UTF8')) and ended_at is null", new { id }));
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
    public async Task An_admin_made_organizer_loses_the_session_for_good()
    {
        await using var bot = await StartAsync();
        await bot.AskAsync(Admin, $"/grant admin {Reader}");
        var cookie = await LogInAsync(bot, Reader);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", cookie)).Status);

        await bot.AskAsync(Admin, $"/grant organizer {Reader}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", cookie)).Status);

        // Ended, not just refused once: made admin again, the old cookie still opens nothing.
        await bot.AskAsync(Admin, $"/grant admin {Reader}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", cookie)).Status);
    }

    [Fact]
    public async Task A_session_ends_after_half_an_hour_idle_and_after_eight_hours_in_any_case()
    {
        await using var bot = await StartAsync();
        var idle = await LogInAsync(bot, Organizer);
        var busy = await LogInAsync(bot, Organizer);

        // The busy one is used every 20 minutes, the idle one not at all.
        bot.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", busy)).Status);
        bot.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", idle)).Status);
        for (var elapsed = TimeSpan.FromMinutes(31); elapsed < TimeSpan.FromHours(8); elapsed += TimeSpan.FromMinutes(20))
        {
            Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", busy)).Status);
            bot.Time.Advance(TimeSpan.FromMinutes(20));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", busy)).Status);
    }

    [Fact]
    public async Task The_log_out_button_ends_the_session()
    {
        await using var bot = await StartAsync();
        var cookie = await LogInAsync(bot, Organizer);
        var other = await LogInAsync(bot, Organizer);

        using var client = NoRedirects(bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{Baoming.Web.Dashboard.CookieName}=;", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", cookie)).Status);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", other)).Status);
    }

    [Fact]
    public async Task The_log_out_link_leads_to_a_button_not_a_log_out()
    {
        await using var bot = await StartAsync();
        var cookie = await LogInAsync(bot, Organizer);

        var (status, page) = await bot.GetAsync("/dashboard/logout", cookie);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<form method=\"post\" action=\"/dashboard/logout\">", page);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", cookie)).Status);
    }

    [Theory]
    [InlineData("/dashboard/login")]
    [InlineData("/dashboard/logout")]
    public async Task A_form_posted_from_another_site_is_refused(string path)
    {
        await using var bot = await StartAsync();
        var ticket = await TicketAsync(bot, Organizer);
        var cookie = await LogInAsync(bot, Organizer);

        using var client = NoRedirects(bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("ticket", ticket)]) };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", cookie)).Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostTicketAsync(bot, ticket)).Status);
    }

    [Fact]
    public async Task Logout_in_the_chat_ends_every_session_of_the_member()
    {
        await using var bot = await StartAsync();
        var first = await LogInAsync(bot, Organizer);
        var second = await LogInAsync(bot, Organizer);
        var admins = await LogInAsync(bot, Admin);

        var reply = await bot.AskAsync(Organizer, "/logout");

        Assert.Contains("2", reply.Text);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", first)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/hangfire", second)).Status);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/hangfire", admins)).Status);
    }

    [Fact]
    public async Task A_ticket_from_one_instance_opens_the_dashboard_on_the_other()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await StartAsync(telegram, database);
        await using var b = await StartAsync(telegram, database);

        var ticket = await TicketAsync(a, Admin);
        var login = await PostTicketAsync(b, ticket);

        Assert.Equal(HttpStatusCode.SeeOther, login.Status);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/hangfire", login.Cookie)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostTicketAsync(a, ticket)).Status);
    }

    [Fact]
    public async Task What_one_instance_protects_another_reads_after_a_restart()
    {
        // Antiforgery tokens (Hangfire's retry and delete forms) are Data Protection payloads: an instance
        // must read what another made, or what it made itself before a restart.
        var database = await TestPostgres.CreateDatabaseAsync();
        string payload;
        await using (var a = await StartAsync(database: database))
        {
            payload = a.Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        }

        await using var b = await StartAsync(database: database);

        Assert.Equal("hello", b.Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
        Assert.Equal(1, await b.ScalarAsync<long>("select count(*) from data_protection_keys"));
    }

    /// <summary>/dashboard in the chat, then the login form: returns the session cookie the login set.</summary>
    private static async Task<string> LogInAsync(BotHarness bot, long member)
    {
        var login = await PostTicketAsync(bot, await TicketAsync(bot, member));
        Assert.Equal(HttpStatusCode.SeeOther, login.Status);
        Assert.Equal("/hangfire", login.Location);
        var setCookie = Assert.IsType<string>(login.SetCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        return login.Cookie!;
    }

    private static async Task<string> TicketAsync(BotHarness bot, long member)
    {
        var reply = await bot.AskAsync(member, "/dashboard");
        Assert.Contains("2 分钟内有效", reply.Text);
        return TicketPattern().Match(reply.Text) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("no login link in: " + reply.Text);
    }

    private sealed record Login(HttpStatusCode Status, string? SetCookie, string? Location, string Body)
    {
        /// <summary>The cookie as a browser sends it back (<c>name=value</c>).</summary>
        public string? Cookie => SetCookie?.Split(';')[0];
    }

    /// <summary>The login page's form, as the browser submits it.</summary>
    private static async Task<Login> PostTicketAsync(BotHarness bot, string ticket)
    {
        using var client = NoRedirects(bot);
        using var response = await client.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("ticket", ticket)]));
        return new Login(
            response.StatusCode,
            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? Assert.Single(cookies) : null,
            response.Headers.Location?.OriginalString,
            await response.Content.ReadAsStringAsync());
    }

    private static HttpClient NoRedirects(BotHarness bot) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = bot.BaseAddress };

    [GeneratedRegex(@"/dashboard/login#ticket=([0-9A-Za-z_-]+)")]
    private static partial Regex TicketPattern();
}
