using System.Globalization;
using System.Text.RegularExpressions;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// Time from process start to the first getUpdates: the bot with a configured connection string, the bot on
/// its embedded default (an already initialised cluster it starts itself), and the floor — a minimal
/// Telegram.Bot console program polling the same fake. Runs are interleaved so noise hits all three alike.
/// The bot measured is the published one (ReadyToRun, as the image and the systemd route run it) unless
/// <c>--bot-dll</c> or <c>--unpublished</c> says otherwise. Each start-up step the bot logs
/// (<c>Start-up step NAME: N ms, ended M ms after the process started</c>) is printed too.
/// </summary>
internal sealed partial class StartupScenario : IScenario
{
    /// <summary>The start-up timeline's logger category (Baoming.Storage.StartupTimeline), raised to Debug for the step lines.</summary>
    private const string TimelineCategory = "Logging__LogLevel__Baoming.Storage.StartupTimeline";

    private const string StepMark = "Start-up step ";

    private static readonly string PublishFolder = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-publish");

    public string Name => "startup";

    public string Summary => "process start → first getUpdates, against a minimal Telegram.Bot program (the floor); each start-up step";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--reps N", "start-ups of each kind (default 5; --quick 3)"),
        ("--unpublished", "measure the dotnet build output instead of a ReadyToRun publish (made by the scenario)"),
        ("--trace", "print each bot start's output, timed from process start"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var reps = context.Args.Int("reps", 5, 3);
        var (dll, what) = await BotUnderTestAsync(context, cancellationToken);
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
            BenchContext.Progress($"bot under test: {what}");
            BenchContext.Progress("warm-up: floor, bot (configured), bot (embedded)");
            await TimeFloorAsync(context, cancellationToken);
            await TimeBotAsync(context, dll, configuredSettings, cancellationToken);
            await TimeBotAsync(context, dll, embeddedSettings, cancellationToken);

            List<double> floor = [], configured = [], embeddedTimes = [];
            List<IReadOnlyList<Step>> configuredSteps = [], embeddedSteps = [];
            for (var rep = 1; rep <= reps; rep++)
            {
                floor.Add(await TimeFloorAsync(context, cancellationToken));
                var (configuredTime, configuredTimeline) = await TimeBotAsync(context, dll, configuredSettings, cancellationToken);
                var (embeddedTime, embeddedTimeline) = await TimeBotAsync(context, dll, embeddedSettings, cancellationToken);
                configured.Add(configuredTime);
                embeddedTimes.Add(embeddedTime);
                configuredSteps.Add(configuredTimeline);
                embeddedSteps.Add(embeddedTimeline);
                BenchContext.Progress($"rep {rep}: floor {floor[^1]:0} ms, bot (configured) {configured[^1]:0} ms, bot (embedded) {embeddedTimes[^1]:0} ms");
                BenchContext.Progress($"  configured steps: {Describe(configuredTimeline)}");
                BenchContext.Progress($"  embedded steps:   {Describe(embeddedTimeline)}");
            }

            const string Floor = "floor";
            List<Figure> figures =
            [
                new Figure(Floor, "ms", floor),
                new Figure("bot, configured database", "ms", configured) { Baseline = Floor, Target = new Target("≤ 2 × floor", (_, r) => r <= 2) },
                new Figure("bot, embedded cluster", "ms", embeddedTimes) { Baseline = Floor, Target = new Target("≤ 2 × floor", (_, r) => r <= 2) },
            ];
            figures.AddRange(StepFigures("configured", configuredSteps));
            figures.AddRange(StepFigures("embedded", embeddedSteps));
            return new ResultTable(
                "startup",
                [
                    $"machine: {BenchContext.Machine()}",
                    "time from process start (dotnet X.dll) to its first getUpdates arriving at the fake Bot API",
                    $"floor: tests/Baoming.Benchmarks.Floor, a minimal Telegram.Bot program; bot: {what}, `Baoming.dll run` with getMe, setMyCommands, migrations check, sessions sync",
                    $"configured: ConnectionStrings:Postgres set (server already running); embedded: the default, an initialised cluster the bot starts with pg_ctl ({(context.IsDurable ? "durable" : "fsync off")})",
                    $"repetitions: {reps}, interleaved, after one warm-up each",
                    "steps: as the bot logs them (Debug, Baoming.Storage.StartupTimeline): \"(ms)\" the step's own time; \"ends\" its end after process start. Steps overlap: the poller starts while the database is prepared",
                    $"median step ends, configured: {MedianEnds(configuredSteps)}",
                    $"median step ends, embedded: {MedianEnds(embeddedSteps)}",
                ],
                figures);
        }
        finally
        {
            BenchContext.TryDelete(folder);
            if (Directory.Exists(PublishFolder))
            {
                BenchContext.TryDelete(PublishFolder);
            }
        }
    }

    /// <summary>A start-up step as the bot logged it.</summary>
    private sealed record Step(string Name, double Milliseconds, double EndedAt);

    [GeneratedRegex(@"Start-up step (?<name>\S+): (?<ms>[0-9.]+) ms, ended (?<at>[0-9.]+) ms after the process started")]
    private static partial Regex StepLine();

    /// <summary>The step lines of one start; none from a bot that does not log them (an older build).</summary>
    private static List<Step> StepsOf(ChildProcess bot) =>
        [.. bot.Watched.Select(line => StepLine().Match(line)).Where(m => m.Success).Select(m => new Step(
            m.Groups["name"].Value,
            double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture)))];

    private static string Describe(IReadOnlyList<Step> steps) =>
        steps.Count == 0 ? "(none logged)" : string.Join(", ", steps.OrderBy(s => s.EndedAt).Select(s => $"{s.Name} {s.Milliseconds:0} (ends {s.EndedAt:0})"));

    private static string MedianEnds(List<IReadOnlyList<Step>> runs) =>
        runs.All(r => r.Count == 0)
            ? "(none logged)"
            : string.Join(", ", runs.SelectMany(r => r).GroupBy(s => s.Name)
                .Select(g => (Name: g.Key, End: Statistics.Median([.. g.Select(s => s.EndedAt)])))
                .OrderBy(s => s.End).Select(s => $"{s.Name} {s.End:0}"));

    private static IEnumerable<Figure> StepFigures(string kind, List<IReadOnlyList<Step>> runs) =>
        runs.SelectMany(r => r).GroupBy(s => s.Name)
            .OrderBy(g => Statistics.Median([.. g.Select(s => s.EndedAt)]))
            .Select(g => new Figure($"{kind}: step {g.Key}", "ms", [.. g.Select(s => s.Milliseconds)]));

    /// <summary>The bot the scenario measures: <c>--bot-dll</c>, else a ReadyToRun publish made here, else (<c>--unpublished</c>) the build output.</summary>
    private static async Task<(string Dll, string What)> BotUnderTestAsync(BenchContext context, CancellationToken ct)
    {
        if (context.Args.Value("bot-dll") is { } given)
        {
            return (given, $"--bot-dll {given}");
        }

        if (context.Args.Has("unpublished"))
        {
            return (context.BotDll, $"the build output ({context.BotDll}, JIT)");
        }

        // src/Baoming/bin/<configuration>/net10.0/Baoming.dll → src/Baoming
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(context.BotDll)!, "..", "..", ".."));
        BenchContext.Progress($"publishing {project} (Release, ReadyToRun) to {PublishFolder}");
        var dll = await Bot.PublishAsync(project, PublishFolder, ct);
        return (dll, "published (dotnet publish -c Release: ReadyToRun, as deploy/Dockerfile and the systemd route)");
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

    private static async Task<(double Elapsed, IReadOnlyList<Step> Steps)> TimeBotAsync(
        BenchContext context, string dll, Dictionary<string, string?> settings, CancellationToken ct)
    {
        await using var api = await LeanBotApi.StartAsync();
        var environment = Bot.Environment(api, connectionString: null);
        environment[TimelineCategory] = "Debug";
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        await using var bot = Bot.Start(dll, environment, [StepMark]);
        var polled = await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(90), ct);
        var elapsed = BenchContext.Milliseconds(bot.StartedAt, polled);

        // The steps after the first poll (migrations, sessions, ready) end later: wait for the last, unless
        // this bot logs no steps at all (an older build), which a second without any line shows.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!bot.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30)
            && !StepsOf(bot).Any(s => s.Name == "ready")
            && (StepsOf(bot).Count > 0 || waited.Elapsed < TimeSpan.FromSeconds(1)))
        {
            await Task.Delay(20, ct);
        }

        if (context.Args.Has("trace"))
        {
            BenchContext.Progress($"first getUpdates at {elapsed:0} ms; the bot's output:\n{bot.Tail()}");
        }

        // A graceful stop: the embedded cluster must be stopped before the next start, or that start would attach to it.
        await bot.StopAsync(TimeSpan.FromSeconds(60));
        return (elapsed, StepsOf(bot));
    }
}
