using System.Globalization;
using System.Text.RegularExpressions;
using Baoming.Attendance;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Platform;
using Baoming.Storage.Embedded;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// The start of a big online session: N confirmed members open their personal join links (<c>GET /j/{token}</c>)
/// within S seconds of the start, each at a random moment (open loop: the clicks do not wait for each other). The
/// real bot (<c>Baoming.dll run</c>, its own process and database per repetition) decrypts each token, records the
/// first click and the attendance in one statement and redirects (302) to the session's join URL. Then every member
/// clicks again, flat out, which must change nothing. The baseline is a static redirect served by the same kind of
/// host (<see cref="StaticRedirectScenario"/>, also its own process), given the same two waves.
/// Tokens are minted with the bot's own <see cref="JoinLinks"/> against the run's database, never re-implemented.
/// </summary>
internal sealed partial class JoinRushScenario : IScenario
{
    private const string SessionKey = "joinrush";

    private const string JoinUrl = "https://meeting.example/j/joinrush-42";

    /// <summary>Members clicking one after another in the flat-out wave.</summary>
    private const int FlatOutConcurrency = 32;

    /// <summary>The bot's log lines worth showing when a click went wrong.</summary>
    private static readonly string[] Problems = [" fail: ", " crit: "];

    /// <summary>Clicks before each measured wave, to get both servers past JIT and connection set-up (not counted).</summary>
    private const int WarmUpClicks = 500;

    public string Name => "joinrush";

    public string Summary => "N members open their personal join links within S s of the start: redirect latency p50/p99/max and throughput, each click recorded once; static-redirect baseline";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--members N", "confirmed members who click (default 10000)"),
        ("--spread S", "seconds over which the first clicks arrive (default 10)"),
        ("--reps N", "repetitions, each on a fresh database and processes (default 3; --quick 1)"),
        ("--pool N", "the bot's Maximum Pool Size (default 0: Npgsql's default, 100, as a deployment has it)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var members = args.Int("members", 10_000, 10_000);
        var spread = args.Int("spread", 10, 10);
        var reps = args.Int("reps", 3, 1);
        var pool = args.Int("pool", 0, 0);
        var cluster = await context.ClusterAsync(cancellationToken);

        List<double> floorP50 = [], floorP99 = [], floorMax = [], floorRate = [], floorFlat = [];
        List<double> botP50 = [], botP99 = [], botMax = [], botRate = [], botFlat = [], againP50 = [], againP99 = [];
        List<double> clicked = [], attended = [], unchanged = [], wrong = [], cpu = [], lag = [];
        for (var rep = 1; rep <= reps; rep++)
        {
            // Seeded per repetition: the bot and the baseline get the same arrival times.
            var random = new Random(rep);
            var schedule = Enumerable.Range(0, members).Select(_ => random.NextDouble() * spread).ToArray();
            var botFirst = rep % 2 == 1;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == botFirst)
                {
                    BenchContext.Progress($"rep {rep}: bot, {members} members clicking within {spread} s");
                    var run = await RunBotAsync(context, cluster, rep, members, schedule, pool, cancellationToken);
                    botP50.Add(run.Rush.P50);
                    botP99.Add(run.Rush.P99);
                    botMax.Add(run.Rush.Max);
                    botRate.Add(run.Rush.PerSecond);
                    botFlat.Add(run.Again.PerSecond);
                    againP50.Add(run.Again.P50);
                    againP99.Add(run.Again.P99);
                    clicked.Add(run.Clicked);
                    attended.Add(run.Attended);
                    unchanged.Add(run.IsUnchanged ? 1 : 0);
                    wrong.Add(run.Rush.Wrong + run.Again.Wrong);
                    cpu.Add(run.CpuPerClick);
                    lag.Add(run.Rush.LagP99);
                    BenchContext.Progress($"rep {rep}: bot p50 {run.Rush.P50:0.00} ms, p99 {run.Rush.P99:0.00} ms, max {run.Rush.Max:0.0} ms, {run.Rush.PerSecond:0}/s; "
                        + $"again flat out {run.Again.PerSecond:0}/s; clicked {run.Clicked}, attended {run.Attended}, unchanged {run.IsUnchanged}");
                }
                else
                {
                    BenchContext.Progress($"rep {rep}: static redirect, the same clicks");
                    var (rush, flat) = await RunFloorAsync(context, members, schedule, cancellationToken);
                    floorP50.Add(rush.P50);
                    floorP99.Add(rush.P99);
                    floorMax.Add(rush.Max);
                    floorRate.Add(rush.PerSecond);
                    floorFlat.Add(flat.PerSecond);
                    BenchContext.Progress($"rep {rep}: static p50 {rush.P50:0.00} ms, p99 {rush.P99:0.00} ms, max {rush.Max:0.0} ms; flat out {flat.PerSecond:0}/s");
                }
            }
        }

        const string FloorP50 = "static redirect: rush p50";
        const string FloorP99 = "static redirect: rush p99";
        const string FloorMax = "static redirect: rush max";
        const string FloorFlat = "static redirect: flat out";
        var table = new ResultTable(
            "joinrush",
            [
                $"machine: {BenchContext.Machine()}",
                $"cluster: embedded PostgreSQL ({(context.IsDurable ? "durable: fsync and synchronous_commit on" : "fsync off")}), one database per repetition",
                $"bot: `Baoming.dll run` (webhook mode, Http:PublicUrl set, Maximum Pool Size={(pool == 0 ? "Npgsql's default, 100" : pool)}), one session starting as the rush begins, its own reminders off; {members} members with confirmed registrations seeded with SQL; "
                    + "tokens minted by the bot's JoinLinks against the run's database",
                $"rush: each member's first GET /j/<token> at a random moment within {spread} s (open loop), latency = request sent → 302 headers received, one HttpClient with keep-alive connections; "
                    + $"again: every member clicks a second time, flat out, {FlatOutConcurrency} at a time; {WarmUpClicks} warm-up clicks (another session) before each wave, not counted",
                $"baseline: `Baoming.Benchmarks.dll {StaticRedirectScenario.Verb}`, a slim ASP.NET Core host answering every /j/<token> with the same static 302, its own process, the same waves",
                "checked: every answer a 302 to the session's join URL; rows with a click time = N and attended (via link) = N after the rush; not one row changed by the second clicks",
                $"repetitions: {reps}, alternating which of bot and baseline goes first",
            ],
            [
                new Figure(FloorP50, "ms", floorP50),
                new Figure(FloorP99, "ms", floorP99),
                new Figure(FloorMax, "ms", floorMax),
                new Figure("static redirect: rush throughput", "clicks/s", floorRate),
                new Figure(FloorFlat, "clicks/s", floorFlat),
                new Figure("bot: rush p50", "ms", botP50) { Baseline = FloorP50 },
                new Figure("bot: rush p99", "ms", botP99) { Baseline = FloorP99, Target = new Target("≤ 50 ms", (median, _) => median <= 50) },
                new Figure("bot: rush max", "ms", botMax) { Baseline = FloorMax },
                new Figure("bot: rush throughput", "clicks/s", botRate),
                new Figure("bot: click again, flat out", "clicks/s", botFlat) { Baseline = FloorFlat },
                new Figure("bot: click again p50 (flat out)", "ms", againP50),
                new Figure("bot: click again p99 (flat out)", "ms", againP99),
                new Figure("bot CPU per first click", "ms", cpu),
                new Figure("rows with a click time after the rush", "rows", clicked) { Target = new Target($"= {members}", (_, _) => clicked.All(c => c == members)) },
                new Figure("rows attended (via link) after the rush", "rows", attended) { Target = new Target($"= {members}", (_, _) => attended.All(a => a == members)) },
                new Figure("rows unchanged by clicking again", "1 = yes", unchanged) { Target = new Target("yes", (_, _) => unchanged.All(u => u == 1)) },
                new Figure("wrong answers (not the 302)", "answers", wrong) { Target = new Target("0", (_, _) => wrong.All(w => w == 0)) },
                new Figure("generator lag p99 (bot rush)", "ms", lag),
            ]);
        if (!table.AllTargetsMet && (wrong.Any(w => w > 0) || clicked.Any(c => c != members) || attended.Any(a => a != members) || unchanged.Any(u => u != 1)))
        {
            throw new BenchmarkFailedWithResultsException("clicks were lost, doubled, changed by a second click, or answered wrongly", table);
        }

        return table;
    }

    private static async Task<BotRun> RunBotAsync(BenchContext context, EmbeddedPostgres cluster, int rep, int members, double[] schedule, int pool, CancellationToken ct)
    {
        var database = $"bench_joinrush_{rep}";
        var connectionString = await BenchDatabase.CreateAsync(cluster, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            // Npgsql's default pool (100) against the durable cluster's max_connections (100): clicks are
            // written in batches on one connection, so the rush must not need more (before batching it did,
            // and the server refused the newest: "53300: sorry, too many clients already").
            var environment = Bot.Environment(api, pool == 0 ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = pool }.ConnectionString);
            // The session starts a little after the bot is up (whole seconds, so the configured and stored times agree).
            var now = DateTimeOffset.UtcNow;
            var startsAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero) + TimeSpan.FromSeconds(15);
            environment["Http__PublicUrl"] = "https://bench.invalid";
            environment["Sessions__2__Key"] = SessionKey;
            environment["Sessions__2__Title"] = "入会高峰";
            environment["Sessions__2__StartsAt"] = startsAt.ToString("O", CultureInfo.InvariantCulture);
            environment["Sessions__2__JoinUrl"] = JoinUrl;
            // Its only reminder a day before, long past: no fan-out (the "starting now" message) competes with the clicks.
            environment["Sessions__2__ReminderOffsets__0"] = "1.00:00:00";
            environment["Sessions__1__JoinUrl"] = JoinUrl + "-warm";
            await Bot.MigrateAsync(context, environment, ct);
            await BenchDatabase.SeedRegistrantsAsync(connectionString, SessionKey, BenchDatabase.FirstChatId, members, ct);
            await SeedWarmUpAsync(connectionString, members, ct);

            var sessionId = await BenchDatabase.ScalarAsync<long>(connectionString, $"select id from sessions where key = '{SessionKey}'", ct);
            var warmSessionId = await BenchDatabase.ScalarAsync<long>(connectionString, "select id from sessions where key = 'metaverse'", ct);
            await using var bots = await WebhookBots.StartAsync(context, environment, 1, Problems, ct);
            var origin = new Uri(bots.Endpoints[0], "/");

            List<Uri> links = [], warm = [];
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                using var joinLinks = new JoinLinks(dataSource, Microsoft.Extensions.Options.Options.Create(new HttpOptions { PublicUrl = "https://bench.invalid" }));
                for (var i = 0; i < members; i++)
                {
                    links.Add(Local(origin, await joinLinks.TokenAsync(sessionId, BenchDatabase.FirstChatId + i, ct)));
                }

                for (var i = 0; i < WarmUpClicks; i++)
                {
                    warm.Add(Local(origin, await joinLinks.TokenAsync(warmSessionId, BenchDatabase.FirstChatId + members + i, ct)));
                }
            }

            using var load = new ClickLoad();
            await load.FlatOutAsync(warm, FlatOutConcurrency, JoinUrl + "-warm", ct);
            var untilStart = startsAt - DateTimeOffset.UtcNow;
            if (untilStart > TimeSpan.Zero)
            {
                await Task.Delay(untilStart, ct);
            }

            var cpuBefore = bots.CpuMilliseconds();
            var rush = await load.RushAsync(links, schedule, JoinUrl, ct);
            var cpuPerClick = (bots.CpuMilliseconds() - cpuBefore) / members;
            var (clicked, attendedRows, before) = await RecordedAsync(connectionString, sessionId, ct);

            await load.FlatOutAsync(warm, FlatOutConcurrency, JoinUrl + "-warm", ct);
            var again = await load.FlatOutAsync(links, FlatOutConcurrency, JoinUrl, ct);
            var (_, _, after) = await RecordedAsync(connectionString, sessionId, ct);
            if (bots.HasExited)
            {
                throw new BenchmarkFailedException($"The bot exited during the run:\n{bots.Tails()}");
            }

            if ((rush.FirstWrong ?? again.FirstWrong) is { } firstWrong)
            {
                BenchContext.Progress($"first wrong answer: {firstWrong}; the bot's first problems:");
                // Health checks fail while the bot starts; those are not about clicks.
                foreach (var line in bots.Processes[0].Watched.Where(l => Problems.Any(p => l.Contains(p, StringComparison.Ordinal)) && !l.Contains("HealthCheck", StringComparison.Ordinal)).Take(3))
                {
                    BenchContext.Progress($"bot: {line.Trim()}");
                }
            }

            return new BotRun(rush, again, clicked, attendedRows, before == after, cpuPerClick);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, database, ct);
        }
    }

    /// <summary>The same clicks against the static redirect, in its own process with the bot's GC settings.</summary>
    private static async Task<(ClickWave Rush, ClickWave Flat)> RunFloorAsync(BenchContext context, int members, double[] schedule, CancellationToken ct)
    {
        var environment = new Dictionary<string, string?>
        {
            // Baoming.csproj: workstation GC, not concurrent.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_gcConcurrent"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        await using var floor = ChildProcess.Start(
            typeof(JoinRushScenario).Assembly.Location, [StaticRedirectScenario.Verb, "--to", JoinUrl], environment, [StaticRedirectScenario.Listening]);
        var line = await floor.WaitForLineAsync(StaticRedirectScenario.Listening, TimeSpan.FromSeconds(30), ct);
        var origin = new Uri(ListeningAddress().Match(line) is { Success: true } match
            ? match.Groups["address"].Value
            : throw new BenchmarkFailedException($"No address in \"{line}\"."));

        // Tokens of the same shape (22 characters): the static server never reads them.
        var links = Enumerable.Range(0, members).Select(i => Local(origin, $"{i:D22}")).ToList();
        var warm = Enumerable.Range(0, WarmUpClicks).Select(i => Local(origin, $"w{i:D21}")).ToList();
        using var load = new ClickLoad();
        await load.FlatOutAsync(warm, FlatOutConcurrency, JoinUrl, ct);
        var rush = await load.RushAsync(links, schedule, JoinUrl, ct);
        await load.FlatOutAsync(warm, FlatOutConcurrency, JoinUrl, ct);
        var flat = await load.FlatOutAsync(links, FlatOutConcurrency, JoinUrl, ct);
        if (rush.Wrong + flat.Wrong > 0)
        {
            throw new BenchmarkFailedException($"The static redirect answered wrongly: {rush.FirstWrong ?? flat.FirstWrong}\n{floor.Tail()}");
        }

        return (rush, flat);
    }

    /// <summary>The personal link's path on the server's own listen address, as a reverse proxy in front of it forwards it.</summary>
    private static Uri Local(Uri origin, string token) => new(origin, JoinLinks.PathPrefix + token);

    /// <summary>
    /// <paramref name="count"/> more members with a confirmed registration in the configured metaverse session
    /// (weeks ahead: their clicks are recorded as clicks only), for warming up on the same statement.
    /// </summary>
    private static async Task SeedWarmUpAsync(string connectionString, int members, CancellationToken ct)
    {
        const string Sql = """
            insert into members (id, display_name) select @first + g, '热身' || g from generate_series(0, @n - 1) g;
            insert into registrations (session_id, member_id, status) select s.id, @first + g, 'confirmed' from generate_series(0, @n - 1) g, sessions s where s.key = 'metaverse';
            analyze registrations;
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("first", BenchDatabase.FirstChatId + members);
        command.Parameters.AddWithValue("n", WarmUpClicks);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rows of the session with a click time, rows attended by link, and a digest of every row's click and attendance.</summary>
    private static async Task<(long Clicked, long Attended, string Digest)> RecordedAsync(string connectionString, long sessionId, CancellationToken ct)
    {
        const string Sql = """
            select count(link_clicked_at), count(*) filter (where attended_at is not null and attended_via = 'link'),
                   md5(string_agg(id || ':' || coalesce(link_clicked_at::text, '-') || ':' || coalesce(attended_at::text, '-') || ':' || coalesce(attended_via, '-'), ',' order by id))
              from registrations where session_id = @sessionId
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("sessionId", sessionId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
    }

    [GeneratedRegex(@"Now listening on: (?<address>https?://\S+)")]
    private static partial Regex ListeningAddress();

    private sealed record BotRun(ClickWave Rush, ClickWave Again, long Clicked, long Attended, bool IsUnchanged, double CpuPerClick);
}
