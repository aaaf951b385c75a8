using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Infrastructure;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// An organizer broadcasts through the chat (/broadcast → the session's confirmed members → text →
/// 立即发送) to N registrants at 1000 msg/s; the real bot process fans it out. Figures as for
/// reminders, plus how often the organizer's status message is edited.
/// </summary>
internal sealed class BroadcastScenario : IScenario
{
    private const int Limit = 1000;
    private const long Organizer = 4_000_000_000;

    public string Name => "broadcast";

    public string Summary => "a broadcast from the chat to N registrants at 1000 msg/s: send rate, worst second, memory, Hangfire jobs, status edits";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--registrants N", "recipients (default 100000; --quick 10000)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var registrants = context.Args.Int("registrants", 100_000, 10_000);
        var cluster = await context.ClusterAsync(cancellationToken);
        List<double> ratio = [], worst = [], memory = [], jobs = [], edits = [], gap = [], start = [];
        for (var rep = 1; rep <= context.Args.Repetitions; rep++)
        {
            BenchContext.Progress($"rep {rep}: broadcast to {registrants}");
            var run = await RunBotAsync(context, cluster, rep, registrants, cancellationToken);
            ratio.Add(run.SendsPerSecond / Limit);
            worst.Add(run.WorstSecond);
            memory.Add(run.PeakMemory);
            jobs.Add(run.HangfireJobs);
            edits.Add(run.EditsPerMinute);
            gap.Add(run.ShortestEditGap);
            start.Add(run.PressToFirstSend);
            BenchContext.Progress($"rep {rep}: {run.SendsPerSecond:0} sends/s, worst second {run.WorstSecond}, {run.PeakMemory:0} MB, "
                + $"{run.HangfireJobs} broadcast jobs, {run.EditsPerMinute:0.0} status edits/min (shortest gap {run.ShortestEditGap:0.0} s)");
        }

        return new ResultTable(
            "broadcast",
            [
                $"machine: {BenchContext.Machine()}",
                $"bot: `Baoming.dll run`, Telegram:MaxMessagesPerSecond={Limit}; {registrants} confirmed registrants seeded with SQL; the organizer's /broadcast, audience button, text and 立即发送 go through getUpdates",
                $"repetitions: {context.Args.Repetitions}, each on a fresh database and bot process",
            ],
            [
                new Figure("send rate / limit", "ratio", ratio) { Target = new Target("≥ 0.95", (median, _) => median >= 0.95) },
                new Figure("worst 1-s sliding window", "sends", worst) { Target = new Target($"never > {Limit}", (_, _) => worst.Max() <= Limit) },
                new Figure("press 立即发送 → first send", "s", start),
                new Figure("bot peak memory (VmHWM)", "MB", memory) { Target = new Target("≤ 300 MB", (_, _) => memory.Max() <= 300) },
                new Figure("Hangfire jobs for the broadcast", "jobs", jobs) { Target = new Target("1, not per recipient", (_, _) => jobs.All(j => j == 1)) },
                new Figure("status message edits", "per min", edits),
                new Figure("shortest gap between progress edits", "s", gap) { Target = new Target("≥ 3 s (no more than every few seconds)", (_, _) => gap.Min() >= 2.9) },
            ]);
    }

    private static async Task<Run> RunBotAsync(BenchContext context, Baoming.Storage.Embedded.EmbeddedPostgres cluster, int rep, int registrants, CancellationToken ct)
    {
        var database = $"bench_broadcast_{rep}";
        var connectionString = await RemindersScenario.CreateDatabaseAsync(cluster, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var received = new RemindersScenario.Received(RemindersScenario.FirstChatId, registrants);
            var organizerMessages = new List<BotMessage>();
            api.OnMessage = message =>
            {
                if (message.ChatId == Organizer)
                {
                    lock (organizerMessages)
                    {
                        organizerMessages.Add(message);
                    }
                }
                else
                {
                    received.Take(message);
                }
            };

            var environment = Bot.Environment(api, connectionString);
            environment["Telegram__MaxMessagesPerSecond"] = Limit.ToString(CultureInfo.InvariantCulture);
            environment["Community__Organizers__0"] = Organizer.ToString(CultureInfo.InvariantCulture);
            environment["Sessions__2__Key"] = RemindersScenario.SessionKey;
            environment["Sessions__2__Title"] = "群发基准";
            environment["Sessions__2__StartsAt"] = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:00zzz", CultureInfo.InvariantCulture);
            await using (var migrate = ChildProcess.Start(context.BotDll, ["migrate"], environment))
            {
                if (!await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60), ct) || migrate.ExitCode != 0)
                {
                    throw new BenchmarkFailedException($"migrate failed:\n{migrate.Tail()}");
                }
            }

            await RemindersScenario.SeedAsync(connectionString, registrants, ct);
            var sessionId = await RemindersScenario.ScalarAsync<long>(connectionString, $"select id from sessions where key = '{RemindersScenario.SessionKey}'", ct);

            await using var bot = Bot.Start(context, environment);
            await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);

            // The organizer's dialogue, as Telegram would deliver it.
            await SayAsync(api, organizerMessages, TextUpdate("/broadcast"), bot, ct);
            await SayAsync(api, organizerMessages, CallbackUpdate($"ba:c:{sessionId}"), bot, ct);
            var preview = await SayAsync(api, organizerMessages, TextUpdate("基准群发：今晚见！"), bot, ct, count: 2);
            var sendNow = preview.SelectMany(m => m.CallbackData).FirstOrDefault(d => d.StartsWith("bs:", StringComparison.Ordinal) && d.EndsWith(":now", StringComparison.Ordinal))
                ?? throw new BenchmarkFailedException("no 立即发送 button: " + string.Join(" | ", preview.Select(m => m.Text)));
            var pressed = Stopwatch.GetTimestamp();
            api.Offer(CallbackUpdate(sendNow));

            var deadline = Stopwatch.StartNew();
            while (received.Distinct < registrants)
            {
                if (bot.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60 + (2.0 * registrants / Limit)) || received.Strays > 0)
                {
                    throw new BenchmarkFailedException($"{received.Distinct} of {registrants} received ({received.Strays} unexpected); the bot's last lines:\n{bot.Tail()}");
                }

                await Task.Delay(20, ct);
            }

            // Let the final report edit and the ledger write-back land, then check nothing came twice.
            await Task.Delay(3000, ct);
            var peakMemory = bot.PeakMemoryMegabytes();
            await bot.StopAsync(TimeSpan.FromSeconds(20));
            received.Verify("bot");
            var sent = await RemindersScenario.ScalarAsync<long>(connectionString, "select count(*) from deliveries where topic like 'broadcast:%' and state = 'sent'", ct);
            if (sent != registrants)
            {
                throw new BenchmarkFailedException($"Ledger: expected {registrants} sent, found {sent}.");
            }

            var jobs = await RemindersScenario.ScalarAsync<long>(connectionString, "select count(*) from hangfire.job where invocationdata::text like '%broadcast:%'", ct);
            var (first, last) = received.FirstAndLast();
            var editsAt = api.EditsAt.Where(at => at >= first).Order().ToList();
            var seconds = BenchContext.Milliseconds(first, last) / 1000;
            // Progress edits only: the last edit is the final report, sent as soon as the run ends.
            var progressEdits = editsAt.SkipLast(1).ToList();
            var gaps = progressEdits.Zip(progressEdits.Skip(1), (a, b) => BenchContext.Milliseconds(a, b) / 1000).ToList();
            return new Run(
                (registrants - 1) / seconds,
                received.WorstSecond(),
                BenchContext.Milliseconds(pressed, first) / 1000,
                peakMemory,
                jobs,
                editsAt.Count / (seconds / 60),
                gaps.Count == 0 ? double.NaN : gaps.Min());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await RemindersScenario.DropDatabaseAsync(cluster, database, ct);
        }
    }

    /// <summary>Offers an update from the organizer and waits for the bot's next <paramref name="count"/> messages to them.</summary>
    private static async Task<IReadOnlyList<BotMessage>> SayAsync(LeanBotApi api, List<BotMessage> messages, string update, ChildProcess bot, CancellationToken ct, int count = 1)
    {
        int before;
        lock (messages)
        {
            before = messages.Count;
        }

        api.Offer(update);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            lock (messages)
            {
                if (messages.Count >= before + count)
                {
                    return messages.Skip(before).ToList();
                }
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new BenchmarkFailedException($"the bot did not answer the organizer; its last lines:\n{bot.Tail()}");
            }

            await Task.Delay(20, ct);
        }
    }

    private static string TextUpdate(string text) =>
        $$$"""
        "message":{"message_id":1,"from":{"id":{{{Organizer}}},"is_bot":false,"first_name":"组织者","language_code":"zh-hans"},"chat":{"id":{{{Organizer}}},"first_name":"组织者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"{{{text}}}"}}
        """;

    private static string CallbackUpdate(string data) =>
        $$$"""
        "callback_query":{"id":"{{{Guid.NewGuid():N}}}","from":{"id":{{{Organizer}}},"is_bot":false,"first_name":"组织者","language_code":"zh-hans"},"message":{"message_id":2,"from":{"id":{{{LeanBotApi.BotId}}},"is_bot":true,"first_name":"报名助手","username":"{{{LeanBotApi.BotUsername}}}"},"chat":{"id":{{{Organizer}}},"first_name":"组织者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"…"},"chat_instance":"-1","data":"{{{data}}}"}}
        """;

    private sealed record Run(double SendsPerSecond, int WorstSecond, double PressToFirstSend, double PeakMemory, long HangfireJobs, double EditsPerMinute, double ShortestEditGap);
}
