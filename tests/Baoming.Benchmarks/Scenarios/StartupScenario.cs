using Baoming.Benchmarks.Infrastructure;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// Time from process start to the first getUpdates: the bot with a configured connection string, the bot on
/// its embedded default (an already initialised cluster it starts itself), and the floor — a minimal
/// Telegram.Bot console program polling the same fake. Runs are interleaved so noise hits all three alike.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public string Summary => "process start → first getUpdates, against a minimal Telegram.Bot program (the floor)";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--reps N", "start-ups of each kind (default 5; --quick 3)"),
        ("--trace", "print each bot start's output, timed from process start"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var reps = context.Args.Int("reps", 5, 3);
        var cluster = await context.ClusterAsync(cancellationToken);

        // The embedded default's folder, initialised (initdb) and stopped, as after a first run.
        var folder = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-embedded");
        var embedded = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = folder, IsDurable = context.IsDurable }, NullLogger.Instance, cancellationToken);
        await embedded.DisposeAsync();
        try
        {
            var embeddedSettings = new Dictionary<string, string?> { ["EmbeddedPostgres__DataDirectory"] = folder };
            var configuredSettings = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = cluster.ConnectionString };

            // Warm-up, not counted: migrations on both databases, and the binaries in the page cache.
            BenchContext.Progress("warm-up: floor, bot (configured), bot (embedded)");
            await TimeFloorAsync(context, cancellationToken);
            await TimeBotAsync(context, configuredSettings, cancellationToken);
            await TimeBotAsync(context, embeddedSettings, cancellationToken);

            List<double> floor = [], configured = [], embeddedTimes = [];
            for (var rep = 1; rep <= reps; rep++)
            {
                floor.Add(await TimeFloorAsync(context, cancellationToken));
                configured.Add(await TimeBotAsync(context, configuredSettings, cancellationToken));
                embeddedTimes.Add(await TimeBotAsync(context, embeddedSettings, cancellationToken));
                BenchContext.Progress($"rep {rep}: floor {floor[^1]:0} ms, bot (configured) {configured[^1]:0} ms, bot (embedded) {embeddedTimes[^1]:0} ms");
            }

            const string Floor = "floor";
            return new ResultTable(
                "startup",
                [
                    $"machine: {BenchContext.Machine()}",
                    "time from process start (dotnet X.dll) to its first getUpdates arriving at the fake Bot API",
                    "floor: tests/Baoming.Benchmarks.Floor, a minimal Telegram.Bot program; bot: `Baoming.dll run` with getMe, setMyCommands, migrations check, sessions sync",
                    $"configured: ConnectionStrings:Postgres set (server already running); embedded: the default, an initialised cluster the bot starts with pg_ctl ({(context.IsDurable ? "durable" : "fsync off")})",
                    $"repetitions: {reps}, interleaved, after one warm-up each",
                ],
                [
                    new Figure(Floor, "ms", floor),
                    new Figure("bot, configured database", "ms", configured) { Baseline = Floor, Target = new Target("≤ 2 × floor", (_, r) => r <= 2) },
                    new Figure("bot, embedded cluster", "ms", embeddedTimes) { Baseline = Floor, Target = new Target("≤ 2 × floor", (_, r) => r <= 2) },
                ]);
        }
        finally
        {
            BenchContext.TryDelete(folder);
        }
    }

    private static async Task<double> TimeFloorAsync(BenchContext context, CancellationToken ct)
    {
        await using var api = await LeanBotApi.StartAsync();
        await using var floor = ChildProcess.Start(context.FloorDll, [], new Dictionary<string, string?>
        {
            ["FLOOR_BOT_TOKEN"] = LeanBotApi.Token,
            ["FLOOR_API_BASE_URL"] = api.BaseUrl,
        });
        var polled = await Bot.WaitForFirstPollAsync(api, floor, TimeSpan.FromSeconds(60), ct);
        return BenchContext.Milliseconds(floor.StartedAt, polled);
    }

    private static async Task<double> TimeBotAsync(BenchContext context, Dictionary<string, string?> settings, CancellationToken ct)
    {
        await using var api = await LeanBotApi.StartAsync();
        var environment = Bot.Environment(api, connectionString: null);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        await using var bot = Bot.Start(context, environment);
        var polled = await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(90), ct);
        var elapsed = BenchContext.Milliseconds(bot.StartedAt, polled);
        if (context.Args.Has("trace"))
        {
            BenchContext.Progress($"first getUpdates at {elapsed:0} ms; the bot's output:\n{bot.Tail()}");
        }

        // A graceful stop: the embedded cluster must be stopped before the next start, or that start would attach to it.
        await bot.StopAsync(TimeSpan.FromSeconds(60));
        return elapsed;
    }
}
