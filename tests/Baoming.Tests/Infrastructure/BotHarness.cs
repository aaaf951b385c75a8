using System.Globalization;
using Baoming.AfterSession;
using Baoming.Delivery;
using Baoming.Hosting;
using Baoming.Reminders;
using Baoming.Series;
using Baoming.Shell;
using Baoming.Tests.Fakes;
using Baoming.Web;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Baoming.Tests.Infrastructure;

/// <summary>
/// The real bot host (the same AddX calls as <c>run</c>) on its own throwaway database, talking over
/// real HTTP to a fake Bot API. Time is fixed at <see cref="Now"/> so the configured sessions in
/// February 2027 are always upcoming.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    /// <summary>2027-01-20 12:00 Beijing time: three weeks before the community's first session.</summary>
    public static readonly DateTimeOffset Now = new(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private readonly bool ownsTelegram;

    /// <summary>The bot's own connections carry this application name, so that those it leaves behind can be closed.</summary>
    private readonly string applicationName;

    private BotHarness(FakeBotApi telegram, bool ownsTelegram, string connectionString, string applicationName, WebApplication host, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        this.ownsTelegram = ownsTelegram;
        this.applicationName = applicationName;
        Logs = logs;
        Telegram = telegram;
        ConnectionString = connectionString;
        Host = host;
        Time = time;
    }

    public FakeBotApi Telegram { get; }

    public string ConnectionString { get; }

    public WebApplication Host { get; }

    /// <summary>Where the bot's HTTP endpoints answer (webhook, health, metrics, dashboard), e.g. http://127.0.0.1:PORT.</summary>
    public Uri BaseAddress => new(Host.Urls.First());

    /// <summary>The bot's business clock (frozen at <see cref="Now"/> unless started with real time).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Everything the bot logged, at every level.</summary>
    public CapturingLoggerProvider Logs { get; }

    /// <summary>
    /// Starts a bot. <paramref name="settings"/> adds or overrides configuration keys, e.g. an extra
    /// session as <c>Sessions:2:Key</c> (0 and 1 are the community's two sessions, <c>auto</c> and
    /// <c>metaverse</c>, from the sample). With <paramref name="configFile"/> (an operator's file, as
    /// <c>BAOMING_CONFIG</c> names) the sessions are the file's: the harness adds none.
    /// </summary>
    public static async Task<BotHarness> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        FakeBotApi? telegram = null,
        string? connectionString = null,
        bool realTime = false,
        string? configFile = null)
    {
        var ownsTelegram = telegram is null;
        telegram ??= await FakeBotApi.StartAsync();
        connectionString ??= await TestPostgres.CreateDatabaseAsync();
        // Reminder tests need the real clock: Hangfire fires jobs in real time.
        var time = new FakeTimeProvider(realTime ? DateTimeOffset.UtcNow : Now.ToUniversalTime());
        // Nothing built in configures sessions: the community's two come from the sample, in the same
        // source as the test's settings, so a test may change one of their fields or add a third.
        var configuration = Configuration(telegram, configFile is null ? time.GetUtcNow() : null, settings);
        var logs = new CapturingLoggerProvider();
        var builder = BaomingHost.CreateWebBuilder(configuration, configFile);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        var applicationName = $"baoming-test-{Guid.NewGuid():N}";
        builder.Services.AddBaoming(builder.Configuration, new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName }.ConnectionString);
        if (!realTime)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        var host = BotWeb.Build(builder);
        await BaomingHost.PrepareDatabaseAsync(host.Services, CancellationToken.None);
        await host.StartAsync();
        // Reminders and after-session runs are planted in the background after start; tests want them in place when they begin.
        await host.Services.GetRequiredService<ReminderScheduler>().SyncAllAsync(CancellationToken.None);
        await host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
        await host.Services.GetRequiredService<InvitationScheduler>().SyncAllAsync(CancellationToken.None);
        await InviteDueAsync(host.Services);
        return new BotHarness(telegram, ownsTelegram, connectionString, applicationName, host, time, logs);
    }

    /// <summary>
    /// A test bot's configuration: the sample's two sessions (as of <paramref name="sessionsAsOf"/>; none when null,
    /// for a test that gives its own configuration file), the fake Bot API, the tests' settings, then
    /// <paramref name="settings"/> over them. <see cref="Startup.RunningBot"/> starts from the same.
    /// </summary>
    public static Dictionary<string, string?> Configuration(FakeBotApi telegram, DateTimeOffset? sessionsAsOf, IReadOnlyDictionary<string, string?>? settings)
    {
        var configuration = sessionsAsOf is { } now ? ExampleSessions.Load(now) : [];
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram:PollTimeoutSeconds"] = "1",
            // Many bots share one test cluster: a few job workers each keep its connection count sane.
            ["Jobs:WorkerCount"] = "2",
            ["Http:Urls"] = "http://127.0.0.1:0",
            // The tests of reminders, exports and fan-outs count the slots before the start; the starting-now
            // slot (on by default) is tested on its own (Attendance/StartingNowTests), which turn it on.
            ["Reminders:AtStart"] = "false",
            // Reminder jobs start at their due time, as the timing tests of reminders and the starting-now message were
            // written for; preparing ahead (which keeps a job worker, of the 2 here, until the due time) is tested on its
            // own (Reminders/PreparedReminderTests, RestartTests), which set it.
            ["Reminders:PrepareAhead"] = "00:00:00",
        })
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }

    /// <summary>
    /// The invitations of series sessions already open at the start go now, not whenever their job runs: a
    /// test's followers must not get one for a configured session in the middle of a conversation.
    /// </summary>
    private static async Task InviteDueAsync(IServiceProvider services)
    {
        // The bot's own pool: a connection left idle in the tests' pool would be a dead one after a test restarts PostgreSQL.
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var due = await connection.QueryAsync<long>(
            "select session_id from series_invitations where state = 'scheduled' and due_at <= @now",
            new { now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime });
        foreach (var sessionId in due)
        {
            await services.GetRequiredService<FanOut>().RunAsync(InvitationTopic.Key(sessionId), null, CancellationToken.None);
        }
    }

    /// <summary>Configuration for one extra session at index <paramref name="index"/> (2 and up).</summary>
    public static Dictionary<string, string?> ExtraSession(int index, string key, string title, DateTimeOffset startsAt, int capacity = 0, params string[] aliases)
    {
        var prefix = $"Sessions:{index}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Key"] = key,
            [prefix + "Title"] = title,
            [prefix + "StartsAt"] = startsAt.ToString("O", CultureInfo.InvariantCulture),
            [prefix + "Capacity"] = capacity.ToString(CultureInfo.InvariantCulture),
            [prefix + "JoinUrl"] = $"https://meeting.example.com/{key}",
        };
        for (var i = 0; i < aliases.Length; i++)
        {
            settings[$"{prefix}Aliases:{i}"] = aliases[i];
        }

        return settings;
    }

    /// <summary>The webhook secret of <see cref="WebhookMode"/>.</summary>
    public const string WebhookSecret = "test-Secret_0123456789_abcdefghijk";

    /// <summary>Webhook mode behind a (pretend) load balancer: every instance serves the URL's path.</summary>
    public static Dictionary<string, string?> WebhookMode(IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.test/telegram/webhook",
            ["Telegram:WebhookSecret"] = WebhookSecret,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private static int nextUpdateId = Random.Shared.Next(100_000_000, 200_000_000);

    /// <summary>An update id no other update in this test run has.</summary>
    public static int NewUpdateId() => Interlocked.Increment(ref nextUpdateId);

    /// <summary>The update JSON with its id (the fake's builders leave it out).</summary>
    public static string WithId(string updateJson, int updateId) =>
        "{\"update_id\":" + updateId.ToString(CultureInfo.InvariantCulture) + "," + updateJson.TrimStart()[1..];

    /// <summary>Posts an update to this instance's webhook as Telegram would; returns the status it answered.</summary>
    public async Task<System.Net.HttpStatusCode> PostUpdateAsync(string updateJson, string? secret = WebhookSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/telegram/webhook"))
        {
            Content = new StringContent(updateJson, System.Text.Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>GET on one of the bot's HTTP endpoints: status and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> GetAsync(string pathAndQuery, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, pathAndQuery));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until /readyz answers 200 (database, migrations, Telegram's getMe and, in webhook mode, setWebhook).</summary>
    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (status, body) = await GetAsync("/readyz");
            if (status == System.Net.HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("/readyz never answered 200: " + body);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A member sends text to the bot in their private chat; returns the update id.</summary>
    public int Say(long userId, string text, string language = "zh-hans") =>
        Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(userId, text, languageCode: language));

    /// <summary>A member presses an inline button carrying <paramref name="data"/>.</summary>
    public int Press(long userId, string data, string language = "zh-hans") =>
        Telegram.EnqueueUpdate(FakeBotApi.CallbackUpdate(userId, data, languageCode: language));

    /// <summary>Sends text and waits for the next message the bot sends to that member.</summary>
    public async Task<SentMessage> AskAsync(long userId, string text, string language = "zh-hans")
    {
        var before = Telegram.SentMessages.Count(m => m.ChatId == userId);
        Say(userId, text, language);
        var replies = await Telegram.WaitForMessagesAsync(userId, before + 1);
        return replies[before];
    }

    /// <summary>Presses a button and waits for the next message the bot sends to that member.</summary>
    public async Task<SentMessage> PressAsync(long userId, string data, string language = "zh-hans")
    {
        var before = Telegram.SentMessages.Count(m => m.ChatId == userId);
        Press(userId, data, language);
        var replies = await Telegram.WaitForMessagesAsync(userId, before + 1);
        return replies[before];
    }

    /// <summary>Presses a button and waits for the notice on the button (answerCallbackQuery) rather than a message.</summary>
    public async Task<string?> PressForNoticeAsync(long userId, string data, string language = "zh-hans")
    {
        var before = Telegram.CallbackAnswers.Count;
        Press(userId, data, language);
        await Telegram.WaitUntilAsync(() => Telegram.CallbackAnswers.Count > before, TimeSpan.FromSeconds(10), () => "no answer to the button press");
        return Telegram.CallbackAnswers[before].Text;
    }

    /// <summary>Waits until every update fed so far has been stored, handled and marked processed.</summary>
    public async Task WaitUntilIdleAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var pending = await ScalarAsync<long>("select count(*) from inbox where processed_at is null");
            if (pending == 0 && Telegram.PendingUpdates == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pending} stored updates and {Telegram.PendingUpdates} fed updates still unprocessed.");
            }

            await Task.Delay(50);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public Task<long> SessionIdAsync(string key) => ScalarAsync<long>("select id from sessions where key = @key", new { key });

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        if (ownsTelegram)
        {
            // A fake passed in belongs to the test: it may outlive this bot (a restart).
            await Telegram.DisposeAsync();
        }

        // The test's own queries used the global pool for this database: give its connections back.
        await using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);

        // Hangfire's workers can still hold their LISTEN connections after the host is gone (long polling
        // does not watch the shutdown): close this bot's leftovers, or a few hundred test bots fill the
        // shared cluster's max_connections. Only this bot's: another bot on the same database goes on.
        try
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(
                "select pg_terminate_backend(pid) from pg_stat_activity where application_name = @applicationName",
                new { applicationName });
        }
        catch (NpgsqlException)
        {
            // The test stopped its server (an outage test): nothing of this bot is connected to it.
        }
    }
}
