using System.Globalization;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Reminders;

/// <summary>A bot process killed in the middle of a reminder fan-out, and started again.</summary>
[Collection(TimingCollection.Name)]
public sealed class RestartTests
{
    private const int Members = 150;

    private static bool IsReminder(SentMessage m) => m.ChatId >= 20_000 && m.Text.StartsWith('⏰');

    /// <summary>
    /// A session whose 15-second reminder to <see cref="Members"/> registrants is due in about ten seconds,
    /// set up by a short-lived bot; returns the database and the environment for bot processes.
    /// </summary>
    private static async Task<(string Database, Dictionary<string, string?> Environment)> PrepareAsync(FakeBotApi telegram)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(25);

        // Same settings for the in-process set-up and for the bot processes.
        var settings = BotHarness.ExtraSession(2, "slow", "慢慢发的提醒", startsAt);
        settings["Sessions:2:ReminderOffsets:0"] = "00:00:15";
        await using (await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            // Migrations, sessions and the reminder job are in place; this bot stops before the job is due.
        }

        await ReminderData.SignUpAsync(database, "slow", Enumerable.Range(20_000, Members).Select(i => (long)i));
        var environment = settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        environment["ConnectionStrings__Postgres"] = database;
        environment["Telegram__BotToken"] = FakeBotApi.Token;
        environment["Telegram__ApiBaseUrl"] = telegram.BaseUrl;
        environment["Telegram__MaxMessagesPerSecond"] = "20";
        environment["Telegram__PollTimeoutSeconds"] = "1";
        environment["Jobs__InvisibilityTimeout"] = "00:00:05";
        // As in the harness: one reminder slot. The starting-now slot's job would prepare its own 150 rows
        // (Reminders:PrepareAhead before the start) while this one is being tested.
        environment["Reminders__AtStart"] = "false";
        environment["Http__Urls"] = "http://127.0.0.1:0";
        environment["Logging__LogLevel__Default"] = "Information";
        return (database, environment);
    }

    /// <summary>Runs a second bot process until the fan-out has finished; returns what the ledger says.</summary>
    private static async Task<Dictionary<string, long>> FinishAsync(FakeBotApi telegram, string database, Dictionary<string, string?> environment, System.Text.StringBuilder log)
    {
        using var second = BaomingProcess.Start("run", environment, log);
        try
        {
            await telegram.WaitUntilAsync(
                () => telegram.SentMessages.Count(IsReminder) + UnknownCount(database) >= Members && PendingCount(database) == 0,
                TimeSpan.FromSeconds(90),
                () => $"{telegram.SentMessages.Count(IsReminder)} reminders received; jobs: {new BotHarnessQueries(database).Dump()}; the bots said:\n{log}");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        var perChat = telegram.SentMessages.Where(IsReminder).GroupBy(m => m.ChatId).ToList();
        Assert.All(perChat, chat => Assert.Single(chat));
        var states = await new BotHarnessQueries(database).StatesAsync();
        Assert.Equal(Members, states.Values.Sum());
        Assert.True(perChat.Count >= states.GetValueOrDefault("sent"), "a send recorded as sent never arrived");
        return states;
    }

    [Fact]
    public async Task A_fan_out_killed_midway_resumes_after_a_restart_without_sending_anything_twice()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var (database, environment) = await PrepareAsync(telegram);
        var log = new System.Text.StringBuilder();
        var first = BaomingProcess.Start("run", environment, log);
        try
        {
            await telegram.WaitUntilAsync(() => telegram.SentMessages.Count(IsReminder) >= 40, TimeSpan.FromSeconds(60), () => "the first process never got going");
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var sentBeforeKill = telegram.SentMessages.Count(IsReminder);
        Assert.True(sentBeforeKill < Members, "the fan-out finished before the kill; nothing was tested");

        var states = await FinishAsync(telegram, database, environment, log);
        // Only sends really in flight at the kill may be unknown: claimed rows stay pending until their
        // own send starts. At 20/s (19.4/s with the limiter's headroom) a reservation covers one send
        // (BatchSize = max(1, 19.4 / 20)) and a send becomes 'sending' as its slot comes, 52 ms apart;
        // its outcome is written with the next reservation's step. So at the kill at most the send going
        // out and the one before it (answered, not yet written) are 'sending'; one more allows for a send
        // slower than a slot on a busy machine. Claimed-ahead batches (19 rows each) used to add up to 40.
        // Since the limiter checks each send's second at the moment it goes (RateLimiter's remarks), a started
        // send may also wait for a permit of the one-second window, or, late for its slot, for a fresh slot:
        // on a loaded machine that kept up to 3 more 'sending' at the kill.
        const int InFlightAtKill = 6;
        Assert.True(states.GetValueOrDefault("unknown") <= InFlightAtKill, $"too many unknown: {states.GetValueOrDefault("unknown")} (at most {InFlightAtKill} sends were in flight)");
        Assert.True(telegram.SentMessages.Count(IsReminder) > sentBeforeKill, "the second process sent nothing");
    }

    [Fact]
    public async Task SIGTERM_during_a_fan_out_stops_cleanly_and_the_next_run_sends_the_rest_with_nothing_lost_or_twice()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var (database, environment) = await PrepareAsync(telegram);
        var log = new System.Text.StringBuilder();
        using var first = BaomingProcess.Start("run", environment, log);
        await telegram.WaitUntilAsync(() => telegram.SentMessages.Count(IsReminder) >= 40, TimeSpan.FromSeconds(60), () => "the first process never got going");

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        BaomingProcess.Terminate(first);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45)))
        {
            await first.WaitForExitAsync(patience.Token);
        }

        Assert.Equal(0, first.ExitCode);
        var sentBeforeStop = telegram.SentMessages.Count(IsReminder);
        Assert.True(sentBeforeStop < Members, "the fan-out finished before the SIGTERM; nothing was tested");
        // A clean stop: every send that started was finished and recorded; what was claimed went back.
        var afterStop = await new BotHarnessQueries(database).StatesAsync();
        Assert.Equal(0, afterStop.GetValueOrDefault("sending"));
        Assert.Equal(0, afterStop.GetValueOrDefault("unknown"));
        Assert.Equal(sentBeforeStop, afterStop.GetValueOrDefault("sent"));
        Assert.Contains("paused for shutdown", log.ToString(), StringComparison.Ordinal);
        // The job's lines carry its id (a log scope per job).
        Assert.Matches(@"=> Job \d+ Fan-out reminder:[\d:]+: 150 recipients", log.ToString());
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(30), $"stopping took {stopping.Elapsed}");

        var states = await FinishAsync(telegram, database, environment, log);
        Assert.Equal(Members, states.GetValueOrDefault("sent"));
        Assert.Equal(Members, telegram.SentMessages.Count(IsReminder));
    }

    private static long PendingCount(string database) => new BotHarnessQueries(database).Count("state in ('pending', 'sending')");

    private static long UnknownCount(string database) => new BotHarnessQueries(database).Count("state = 'unknown'");

    /// <summary>Synchronous ledger reads for wait conditions.</summary>
    private sealed class BotHarnessQueries(string connectionString)
    {
        public long Count(string condition)
        {
            using var connection = new Npgsql.NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand($"select count(*) from deliveries where topic like 'reminder:%' and {condition}", connection);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        public string Dump()
        {
            using var connection = new Npgsql.NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand(
                "select string_agg(j.id || ' ' || j.statename || ' q=' || coalesce(q.fetchedat::text, 'null') || ' now=' || now()::text, '; ') from hangfire.job j left join hangfire.jobqueue q on q.jobid = j.id", connection);
            return command.ExecuteScalar()?.ToString() ?? "";
        }

        public async Task<Dictionary<string, long>> StatesAsync()
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("select state, count(*) from deliveries where topic like 'reminder:%' group by state", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var states = new Dictionary<string, long>();
            while (await reader.ReadAsync())
            {
                states[reader.GetString(0)] = reader.GetInt64(1);
            }

            return states;
        }
    }
}
