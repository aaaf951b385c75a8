using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Infrastructure;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// One reminder to N registrants at <c>Telegram:MaxMessagesPerSecond</c> = 1000 (paid-broadcast speed), sent by the
/// real bot: members and confirmed registrations are seeded with SQL, the session starts ~45 s ahead with a reminder
/// 30 s before, so the bot plants the slot's Hangfire job at start-up and fans out when it falls due. Each repetition
/// has its own database and bot process. The baseline, in the same run on the same cluster, is the naive way: one
/// Hangfire job per recipient (<see cref="NaiveReminders"/>), on fewer recipients when it would take too long.
/// </summary>
internal sealed class RemindersScenario : IScenario
{
    private const int Limit = 1000;
    internal const string SessionKey = "remindbench";
    private static readonly TimeSpan Offset = TimeSpan.FromSeconds(30);

    public string Name => "reminders";

    public string Summary => "one reminder to N registrants at 1000 msg/s: send rate, worst second, punctuality, memory, Hangfire jobs; naive one-job-per-recipient baseline";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--registrants N", "registrants reminded (default 100000; --quick 10000)"),
        ("--naive N", "recipients of the naive baseline, extrapolated to N registrants (default 2000; --quick 500)"),
        ("--lead S", "seconds from bot start to the slot's due time (default 15)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var registrants = args.Int("registrants", 100_000, 10_000);
        var naiveCount = args.Int("naive", 2_000, 500);
        var lead = TimeSpan.FromSeconds(args.Int("lead", 15, 15));
        var cluster = await context.ClusterAsync(cancellationToken);

        // The baseline first: its database is gone before the bot's repetitions start.
        BenchContext.Progress($"naive baseline: {naiveCount} recipients, one Hangfire job each");
        var naive = await RunNaiveAsync(cluster, naiveCount, cancellationToken);
        BenchContext.Progress($"naive: {naive.SendsPerSecond:0.0} sends/s, {naive.TotalSeconds:0.0} s for {naiveCount}");

        List<double> rate = [], ratio = [], worst = [], delay = [], memory = [], jobs = [], total = [], p50 = [], p99 = [], over = [];
        var slots = 0;
        for (var rep = 1; rep <= args.Repetitions; rep++)
        {
            BenchContext.Progress($"rep {rep}: bot, one reminder to {registrants} registrants");
            var run = await RunBotAsync(context, cluster, rep, registrants, lead, cancellationToken);
            rate.Add(run.SendsPerSecond);
            ratio.Add(run.SendsPerSecond / Limit);
            worst.Add(run.WorstSecond);
            p50.Add(run.Windows.P50);
            p99.Add(run.Windows.P99);
            over.Add(run.Windows.Over);
            delay.Add(run.FirstSendDelay);
            memory.Add(run.PeakMemory);
            jobs.Add(run.HangfireJobs);
            total.Add(run.TotalSeconds);
            slots = run.Slots;
            BenchContext.Progress($"rep {rep}: {run.SendsPerSecond:0} sends/s ({run.SendsPerSecond / Limit:0.000} × limit), {run.Windows}, first send {run.FirstSendDelay:0.00} s after due, "
                + $"{run.PeakMemory:0} MB, {run.HangfireJobs} Hangfire jobs, {run.TotalSeconds:0.0} s in all");
        }

        var extrapolated = (registrants / naive.CreatedPerSecond) + (registrants / naive.SendsPerSecond);
        const string Naive = "naive: sends/s executed";
        return new ResultTable(
            "reminders",
            [
                $"machine: {BenchContext.Machine()}",
                $"cluster: embedded PostgreSQL ({(context.IsDurable ? "durable: fsync and synchronous_commit on" : "fsync off")}), one database per repetition",
                $"bot: `Baoming.dll run`, Telegram:MaxMessagesPerSecond={Limit}, Jobs:SchedulePollingInterval 1 s (default); {registrants} confirmed registrants seeded with SQL; "
                    + $"session starts ~{(lead + Offset).TotalSeconds:0} s after bot start with ReminderOffsets [{Offset}], Reminders:AtStart false",
                $"naive baseline: {naiveCount} recipients (not {registrants}: too slow), 1 repetition, one delayed Hangfire job per recipient "
                    + "(Hangfire.PostgreSql, own database, 8 workers, the bot's storage settings) sending one message with TelegramBotClient; "
                    + "jobs created from 8 threads, then all made due at once; no rate limiter (it never approaches the limit)",
                $"naive extrapolated to {registrants}: {registrants / naive.CreatedPerSecond:0} s creating + {registrants / naive.SendsPerSecond:0} s sending = {extrapolated / 60:0.0} min (bot: {Statistics.Median(total):0} s due → last send)",
                $"repetitions: bot {args.Repetitions}, each on a fresh database and bot process; naive 1",
            ],
            [
                new Figure($"naive: jobs created/s ({naiveCount}, 1 rep)", "jobs/s", [naive.CreatedPerSecond]),
                new Figure(Naive, "sends/s", [naive.SendsPerSecond]),
                new Figure($"naive: due → last send ({naiveCount}, 1 rep)", "s", [naive.TotalSeconds]),
                new Figure($"naive: due → last send, EXTRAPOLATED to {registrants}", "s", [extrapolated]),
                new Figure("bot: achieved send rate", "sends/s", rate) { Baseline = Naive },
                new Figure("bot: send rate / limit", "ratio", ratio) { Target = new Target("≥ 0.95", (median, _) => median >= 0.95) },
                new Figure("bot: worst 1-s sliding window", "sends", worst) { Target = new Target($"never > {Limit}", (_, _) => worst.Max() <= Limit) },
                new Figure("bot: 1-s windows, p50", "sends", p50),
                new Figure("bot: 1-s windows, p99", "sends", p99),
                new Figure($"bot: 1-s windows over {Limit}", "windows", over) { Target = new Target("0", (_, _) => over.All(o => o == 0)) },
                new Figure("bot: slot due → first send", "s", delay) { Target = new Target("≤ 1 s", (median, _) => median <= 1) },
                new Figure($"bot: slot due → last send ({registrants})", "s", total),
                new Figure("bot peak memory (VmHWM)", "MB", memory) { Target = new Target("≤ 300 MB", (_, _) => memory.Max() <= 300) },
                new Figure($"bot: Hangfire jobs created ({registrants} registrants)", "jobs", jobs)
                {
                    Target = new Target($"= reminder slots ({slots}), not per registrant", (_, _) => jobs.All(j => j == slots)),
                },
            ]);
    }

    private static async Task<NaiveOutcome> RunNaiveAsync(Baoming.Storage.Embedded.EmbeddedPostgres cluster, int count, CancellationToken ct)
    {
        var connectionString = await BenchDatabase.CreateAsync(cluster, "bench_naive", ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var received = new Received(BenchDatabase.FirstChatId, count);
            api.OnMessage = received.Take;
            var run = await NaiveReminders.RunAsync(
                connectionString, api, [.. Enumerable.Range(0, count).Select(i => BenchDatabase.FirstChatId + i)], () => received.Distinct, ct);
            await Task.Delay(500, ct);
            received.Verify("naive baseline");
            var (first, last) = received.FirstAndLast();
            return new NaiveOutcome(
                run.CreatedPerSecond,
                (count - 1) / (BenchContext.Milliseconds(first, last) / 1000),
                BenchContext.Milliseconds(run.DueAt, last) / 1000);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, "bench_naive", ct);
        }
    }

    private static async Task<BotRun> RunBotAsync(
        BenchContext context, Baoming.Storage.Embedded.EmbeddedPostgres cluster, int rep, int registrants, TimeSpan lead, CancellationToken ct)
    {
        var database = $"bench_reminders_{rep}";
        var connectionString = await BenchDatabase.CreateAsync(cluster, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var received = new Received(BenchDatabase.FirstChatId, registrants);
            api.OnMessage = received.Take;

            // Whole seconds: the configured time and the stored one must compare equal, or the bot sees a move.
            var seedAllowance = TimeSpan.FromSeconds(5 + (registrants / 10_000));
            var now = DateTimeOffset.UtcNow;
            var startsAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero) + seedAllowance + lead + Offset;
            var environment = Bot.Environment(api, connectionString);
            environment["Telegram__MaxMessagesPerSecond"] = Limit.ToString(CultureInfo.InvariantCulture);
            environment["Sessions__2__Key"] = SessionKey;
            environment["Sessions__2__Title"] = "提醒基准";
            environment["Sessions__2__StartsAt"] = startsAt.ToString("O", CultureInfo.InvariantCulture);
            environment["Sessions__2__JoinUrl"] = "https://meeting.example/j/42";
            environment["Sessions__2__ReminderOffsets__0"] = Offset.ToString("c", CultureInfo.InvariantCulture);
            // One reminder measured: the starting-now message (on by default) would be a second 100,000-recipient
            // fan-out 30 s later, overlapping this one and failing the one-message-per-chat check.
            environment["Reminders__AtStart"] = "false";

            // Schema and sessions from the bot itself, then the registrants straight into the tables.
            await Bot.MigrateAsync(context, environment, ct);

            await BenchDatabase.SeedRegistrantsAsync(connectionString, SessionKey, BenchDatabase.FirstChatId, registrants, ct);
            // The slot itself is planted by the bot once it runs (not by migrate): its time is known anyway.
            var dueWall = startsAt - Offset;
            var untilDue = dueWall - DateTimeOffset.UtcNow;
            if (untilDue < TimeSpan.FromSeconds(5))
            {
                throw new BenchmarkFailedException($"Set-up too slow: the slot is due in {untilDue.TotalSeconds:0.0} s, before the bot is surely up.");
            }

            await using var bot = Bot.Start(context, environment);
            // Stopwatch timestamps of the fake map to wall-clock time through this pair.
            var anchorWall = DateTimeOffset.UtcNow;
            var anchor = Stopwatch.GetTimestamp();
            await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);
            BenchContext.Progress($"bot up; slot due in {(dueWall - DateTimeOffset.UtcNow).TotalSeconds:0.0} s");

            var deadline = dueWall + TimeSpan.FromSeconds(60 + (2.0 * registrants / Limit));
            while (received.Distinct < registrants)
            {
                if (bot.HasExited || DateTimeOffset.UtcNow > deadline || received.Strays > 0)
                {
                    throw new BenchmarkFailedException(
                        $"{received.Distinct} of {registrants} reminders received by {DateTimeOffset.UtcNow - dueWall:g} after due ({received.Strays} unexpected messages); the bot's last lines:\n{bot.Tail()}");
                }

                await Task.Delay(20, ct);
            }

            // The ledger is written back per claimed batch; then anything late (a duplicate) would show.
            var ledgerDeadline = Stopwatch.StartNew();
            while (await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from deliveries where topic like 'reminder:%' and state in ('pending', 'sending')", ct) > 0)
            {
                if (ledgerDeadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new BenchmarkFailedException($"The ledger still has pending rows 30 s after the last send:\n{bot.Tail()}");
                }

                await Task.Delay(100, ct);
            }

            await Task.Delay(1000, ct);
            foreach (var line in bot.Tail().Split('\n').Where(l => l.Contains("Fan-out", StringComparison.Ordinal) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)))
            {
                BenchContext.Progress($"bot: {line.Trim()}");
            }

            var peakMemory = bot.PeakMemoryMegabytes();
            await bot.StopAsync(TimeSpan.FromSeconds(20));

            received.Verify("bot");
            await BenchDatabase.VerifyLedgerAsync(connectionString, "reminder", registrants, ct);

            var hangfireJobs = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from hangfire.job", ct);
            var slots = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from reminder_slots", ct);
            var (first, last) = received.FirstAndLast();
            var (gaps, gapMs) = received.Gaps(30);
            BenchContext.Progress($"pauses over 30 ms between arrivals: {gaps}, {gapMs:0} ms in all");
            var firstWall = anchorWall + Stopwatch.GetElapsedTime(anchor, first);
            return new BotRun(
                received.SendsPerSecond(),
                received.WorstSecond(),
                received.Windows(Limit),
                (firstWall - dueWall).TotalSeconds,
                (firstWall - dueWall).TotalSeconds + (BenchContext.Milliseconds(first, last) / 1000),
                peakMemory,
                hangfireJobs,
                (int)slots);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, database, ct);
        }
    }

    private sealed record NaiveOutcome(double CreatedPerSecond, double SendsPerSecond, double TotalSeconds);

    private sealed record BotRun(double SendsPerSecond, int WorstSecond, WindowStats Windows, double FirstSendDelay, double TotalSeconds, double PeakMemory, long HangfireJobs, int Slots);
}
