using System.Net;
using Baoming.Attendance;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Attendance;

/// <summary>
/// Personal join links (<c>GET /j/{token}</c>) on the real host: a genuine click is recorded once and
/// redirected to the session's join URL; forged, foreign and cancelled tokens get the same neutral page
/// and leave no trace.
/// </summary>
public sealed class JoinLinkTests : IAsyncLifetime
{
    private const long Reader = 7101;
    private const long Other = 7102;
    private const string PublicUrl = "https://bot.example.test";
    private static readonly HttpClient NoRedirects = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private BotHarness bot = null!;
    private long sessionId;

    public async Task InitializeAsync()
    {
        // Starts in ten minutes: a click now is inside the attendance window (30 minutes before the start).
        var settings = BotHarness.ExtraSession(2, "live", "直播选题会", BotHarness.Now.AddMinutes(10), aliases: "直播会");
        foreach (var (key, value) in BotHarness.ExtraSession(3, "later", "晚场选题会", BotHarness.Now.AddMinutes(100), aliases: "晚场"))
        {
            settings[key] = value;
        }

        settings["Http:PublicUrl"] = PublicUrl + "/";
        bot = await BotHarness.StartAsync(settings);
        sessionId = await bot.SessionIdAsync("live");
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 直播会")).Text);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private JoinLinks Links => bot.Host.Services.GetRequiredService<JoinLinks>();

    private async Task<HttpResponseMessage> ClickAsync(string token, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseAddress, "/j/" + token));
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return await NoRedirects.SendAsync(request);
    }

    private Task<IReadOnlyList<(DateTime? Clicked, DateTime? Attended, string? Via)>> RecordsAsync(string session = "live") =>
        bot.QueryAsync<(DateTime?, DateTime?, string?)>(
            "select r.link_clicked_at, r.attended_at, r.attended_via from registrations r join sessions s on s.id = r.session_id where s.key = @session order by r.member_id",
            new { session });

    [Fact]
    public async Task A_sign_up_in_the_last_hour_and_its_calendar_file_carry_the_personal_link_not_the_plain_one()
    {
        var personal = $"{PublicUrl}/j/{await Links.TokenAsync(sessionId, Reader, CancellationToken.None)}";

        var confirmation = Assert.Single(bot.Telegram.MessagesTo(Reader), m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        bot.Press(Reader, confirmation.Buttons().Single(b => b.Text.Contains("加入日历", StringComparison.Ordinal)).CallbackData!);
        var ics = System.Text.Encoding.UTF8.GetString((await bot.Telegram.WaitForDocumentAsync(Reader)).Content);

        Assert.Contains(personal, confirmation.Text);
        Assert.DoesNotContain("meeting.example.com", confirmation.Text);
        // Unfolded: iCalendar wraps lines at 75 octets with CRLF and a space.
        Assert.Contains(personal, ics.Replace("\r\n ", "", StringComparison.Ordinal));
        Assert.DoesNotContain("meeting.example.com", ics);
    }

    [Fact]
    public async Task A_personal_link_clicked_twice_redirects_both_times_and_records_one_click_and_one_attendance()
    {
        // Arrange
        var token = await Links.TokenAsync(sessionId, Reader, CancellationToken.None);
        Assert.Equal(JoinLinks.TokenLength, token.Length);
        Assert.Equal($"{PublicUrl}/j/{token}", Links.UrlFor(token));

        // Act
        using var first = await ClickAsync(token);
        bot.Time.Advance(TimeSpan.FromMinutes(3));
        using var second = await ClickAsync(token);

        // Assert
        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("https://meeting.example.com/live", response.Headers.Location?.ToString());
        }

        var (clicked, attended, via) = Assert.Single(await RecordsAsync());
        Assert.Equal(BotHarness.Now.UtcDateTime, clicked?.ToUniversalTime());
        Assert.Equal(BotHarness.Now.UtcDateTime, attended?.ToUniversalTime());
        Assert.Equal("link", via);
    }

    [Fact]
    public async Task A_click_long_before_the_start_is_a_click_but_not_attendance_and_a_later_one_in_the_window_is()
    {
        // Arrange: "later" starts in 100 minutes, 70 before its window opens.
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 晚场")).Text);
        var token = await Links.TokenAsync(await bot.SessionIdAsync("later"), Reader, CancellationToken.None);

        // Act
        using var early = await ClickAsync(token);
        var afterEarly = Assert.Single(await RecordsAsync("later"));
        bot.Time.Advance(TimeSpan.FromMinutes(95));
        using var inTime = await ClickAsync(token);

        // Assert
        Assert.Equal(HttpStatusCode.Found, early.StatusCode);
        Assert.Equal(HttpStatusCode.Found, inTime.StatusCode);
        Assert.Equal(BotHarness.Now.UtcDateTime, afterEarly.Clicked?.ToUniversalTime());
        Assert.Null(afterEarly.Attended);
        var (clicked, attended, via) = Assert.Single(await RecordsAsync("later"));
        Assert.Equal(BotHarness.Now.UtcDateTime, clicked?.ToUniversalTime());
        Assert.Equal(BotHarness.Now.AddMinutes(95).UtcDateTime, attended?.ToUniversalTime());
        Assert.Equal("link", via);
    }

    [Fact]
    public async Task Forged_malformed_and_other_members_tokens_get_the_same_neutral_page_and_record_nothing()
    {
        // Arrange: a real token with one character changed, random bytes, and the token of someone not signed up.
        var genuine = await Links.TokenAsync(sessionId, Reader, CancellationToken.None);
        var flipped = (genuine[0] == 'A' ? 'B' : 'A') + genuine[1..];
        var random = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var foreign = await Links.TokenAsync(sessionId, Other, CancellationToken.None);
        var otherSession = await Links.TokenAsync(await bot.SessionIdAsync("auto"), Reader, CancellationToken.None);
        string[] tokens = [flipped, random, foreign, otherSession, "short", genuine + "A", genuine[..21] + "="];

        // Act
        var pages = new List<string>();
        foreach (var token in tokens)
        {
            using var response = await ClickAsync(token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(response.Headers.Location);
            pages.Add(await response.Content.ReadAsStringAsync());
        }

        // Assert
        Assert.Single(pages.Distinct());
        Assert.Contains("打不开", pages[0]);
        Assert.DoesNotContain("meeting.example.com", pages[0]);
        Assert.Equal((null, null, null), Assert.Single(await RecordsAsync()));
        Assert.Null(await Links.ReadAsync(flipped, CancellationToken.None));
        Assert.Equal((sessionId, Reader), await Links.ReadAsync(genuine, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_registrations_token_gets_the_neutral_page_and_records_nothing()
    {
        // Arrange
        var token = await Links.TokenAsync(sessionId, Reader, CancellationToken.None);
        Assert.Contains("已取消", (await bot.AskAsync(Reader, "取消报名")).Text);

        // Act
        using var response = await ClickAsync(token);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal((null, null, null), Assert.Single(await RecordsAsync()));
    }

    [Fact]
    public async Task A_link_preview_robot_is_redirected_but_records_nothing()
    {
        // Arrange
        var token = await Links.TokenAsync(sessionId, Reader, CancellationToken.None);

        // Act
        using var response = await ClickAsync(token, "TelegramBot (like TwitterBot)");

        // Assert
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal((null, null, null), Assert.Single(await RecordsAsync()));
    }
}
