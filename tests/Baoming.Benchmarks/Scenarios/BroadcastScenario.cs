using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Infrastructure;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// An organizer broadcasts through the chat (/broadcast → the session's confirmed members → text →
/// 立即发送) to N registrants at 1000 msg/s; the real bot process fans it out. Figures as for
/// reminders, plus how often the organizer's status message is edited.
/// </summary>
internal sealed class BroadcastScenario : IScenario
{
    private const int Limit = BroadcastBench.Limit;

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
        List<double> ratio = [], worst = [], p50 = [], p99 = [], over = [], memory = [], jobs = [], edits = [], gap = [], start = [];
        for (var rep = 1; rep <= context.Args.Repetitions; rep++)
        {
            BenchContext.Progress($"rep {rep}: broadcast to {registrants}");
            var run = await RunBotAsync(context, cluster, rep, registrants, cancellationToken);
            ratio.Add(run.SendsPerSecond / Limit);
            worst.Add(run.WorstSecond);
            p50.Add(run.Windows.P50);
            p99.Add(run.Windows.P99);
            over.Add(run.Windows.Over);
            memory.Add(run.PeakMemory);
            jobs.Add(run.HangfireJobs);
            edits.Add(run.EditsPerMinute);
            gap.Add(run.ShortestEditGap);
            start.Add(run.PressToFirstSend);
            BenchContext.Progress($"rep {rep}: {run.SendsPerSecond:0} sends/s ({run.SendsPerSecond / Limit:0.000} × limit), {run.Windows}, {run.PeakMemory:0} MB, "
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
                new Figure("1-s windows, p50", "sends", p50),
                new Figure("1-s windows, p99", "sends", p99),
                new Figure($"1-s windows over {Limit}", "windows", over) { Target = new Target("0", (_, _) => over.All(o => o == 0)) },
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
        var connectionString = await BenchDatabase.CreateAsync(cluster, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var received = new Received(BenchDatabase.FirstChatId, registrants);
            var organizer = new Organizer();
            api.OnMessage = message =>
            {
                if (!organizer.Take(message))
                {
                    received.Take(message);
                }
            };

            var environment = BroadcastBench.Environment(api, connectionString, sessions: 1);
            var sessionId = (await BroadcastBench.PrepareAsync(context, environment, connectionString, registrants, sessions: 1, ct))[0];
            await using var bot = Bot.Start(context, environment);
            await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);

            // The organizer's dialogue, as Telegram would deliver it.
            var sendNow = await organizer.DraftAsync(api, sessionId, [bot], ct);
            var pressed = Stopwatch.GetTimestamp();
            await organizer.SendAsync(api, [sendNow], ct);
            await BroadcastBench.WaitForAllAsync(received, [bot], ct);

            // Let the final report edit and the ledger write-back land, then check nothing came twice.
            await Task.Delay(3000, ct);
            var peakMemory = bot.PeakMemoryMegabytes();
            await bot.StopAsync(TimeSpan.FromSeconds(20));
            received.Verify("bot");
            await BroadcastBench.VerifyAsync(connectionString, registrants, broadcasts: 1, ct);

            var jobs = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from hangfire.job where invocationdata::text like '%broadcast:%'", ct);
            var (first, last) = received.FirstAndLast();
            var editsAt = api.EditsAt.Where(at => at >= first).Order().ToList();
            var seconds = BenchContext.Milliseconds(first, last) / 1000;
            // Progress edits only: the last edit is the final report, sent as soon as the run ends.
            var progressEdits = editsAt.SkipLast(1).ToList();
            var gaps = progressEdits.Zip(progressEdits.Skip(1), (a, b) => BenchContext.Milliseconds(a, b) / 1000).ToList();
            return new Run(
                received.SendsPerSecond(),
                received.WorstSecond(),
                received.Windows(Limit),
                BenchContext.Milliseconds(pressed, first) / 1000,
                peakMemory,
                jobs,
                editsAt.Count / (seconds / 60),
                gaps.Count == 0 ? double.NaN : gaps.Min());
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, database, ct);
        }
    }

    private sealed record Run(double SendsPerSecond, int WorstSecond, WindowStats Windows, double PressToFirstSend, double PeakMemory, long HangfireJobs, double EditsPerMinute, double ShortestEditGap);
}
