using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Chat;
using Baoming.Signup;
using Baoming.Telegram.Intake;
using Dapper;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// A sign-up burst: N distinct members each sign up for the metaverse session, most with "报名 元宇宙", a share
/// with "报名" and then the session's button. Measured per repetition, each on a fresh bot process and a
/// truncated database: throughput when the bot takes updates as fast as it asks (100 per getUpdates), latency
/// at a fixed offered rate, the bot's peak memory, and the database's own ceiling for the same statements
/// (pgbench, same concurrency, same cluster).
/// </summary>
internal sealed partial class SignupScenario : IScenario
{
    public string Name => "signup";

    public string Summary => "a burst of sign-ups: throughput, latency at a fixed rate, bot memory, and the pgbench ceiling";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--members N", "members in the burst (default 20000; --quick 2000)"),
        ("--button-share F", "share who send 报名 and press the button (default 0.2)"),
        ("--rate R", "offered sign-ups per second for the latency phase (default 300)"),
        ("--latency-seconds S", "length of the latency phase (default 20; --quick 5)"),
        ("--pgbench-seconds S", "length of each pgbench run (default 15; --quick 5)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var members = args.Int("members", 20_000, 2_000);
        var buttonShare = args.Double("button-share", 0.2);
        var rate = args.Int("rate", 300, 300);
        var latencySeconds = args.Int("latency-seconds", 20, 5);
        var pgbenchSeconds = args.Int("pgbench-seconds", 15, 5);
        var cluster = await context.ClusterAsync(cancellationToken);

        List<double> ceiling = [], throughput = [], cpu = [], p50 = [], p99 = [], memory = [];
        for (var rep = 1; rep <= args.Repetitions; rep++)
        {
            await ResetAsync(cluster.ConnectionString, cancellationToken);
            BenchContext.Progress($"rep {rep}: bot, burst of {members} sign-ups, then {rate}/s for {latencySeconds} s");
            var run = await RunBotAsync(context, cluster.ConnectionString, rep, members, buttonShare, rate, latencySeconds, cancellationToken);
            throughput.Add(run.Throughput);
            cpu.Add(run.CpuPerSignup);
            p50.Add(run.P50);
            p99.Add(run.P99);
            memory.Add(run.PeakMemory);
            BenchContext.Progress($"rep {rep}: {run.Throughput:0} sign-ups/s, {run.CpuPerSignup:0.00} ms CPU each, p50 {run.P50:0.0} ms, p99 {run.P99:0.0} ms, {run.PeakMemory:0} MB");

            await ResetAsync(cluster.ConnectionString, cancellationToken);
            var tps = await Pgbench.RunAsync(cluster.ConnectionString, PgbenchScript(run.SessionId), InboxProcessor.LaneCount, pgbenchSeconds, cancellationToken);
            ceiling.Add(tps);
            BenchContext.Progress($"rep {rep}: pgbench {tps:0} sign-ups/s");
        }

        const string Ceiling = "pgbench ceiling";
        return new ResultTable(
            "signup",
            [
                $"machine: {BenchContext.Machine()}",
                $"cluster: embedded PostgreSQL ({(context.IsDurable ? "durable: fsync and synchronous_commit on" : "fsync off")}), shared by bot and pgbench",
                $"burst: {members} distinct members, {buttonShare:P0} via 报名 + button, getUpdates batches of 100; latency at {rate}/s for {latencySeconds} s ({rate * latencySeconds} members)",
                $"pgbench: the bot's statements per sign-up (inbox store + member upsert, chat turn + pending read + dialogue lookup, session lock, registration + counter, commit, processed mark + turn end), {InboxProcessor.LaneCount} clients, {pgbenchSeconds} s",
                $"repetitions: {args.Repetitions}, each on a fresh bot process and truncated tables",
            ],
            [
                new Figure(Ceiling, "sign-ups/s", ceiling),
                new Figure("bot throughput, end to end", "sign-ups/s", throughput)
                {
                    Baseline = Ceiling,
                    Target = new Target("≥ 0.5 × ceiling", (_, ratio) => ratio >= 0.5),
                },
                new Figure("bot CPU per sign-up", "ms", cpu),
                new Figure($"latency p50 at {rate}/s", "ms", p50),
                new Figure($"latency p99 at {rate}/s", "ms", p99) { Target = new Target("≤ 100 ms", (median, _) => median <= 100) },
                new Figure("bot peak memory (VmHWM)", "MB", memory) { Target = new Target("≤ 300 MB", (median, _) => median <= 300) },
            ]);
    }

    private static async Task<BotRun> RunBotAsync(
        BenchContext context, string connectionString, int rep, int members, double buttonShare, int rate, int latencySeconds, CancellationToken ct)
    {
        await using var api = await LeanBotApi.StartAsync();
        // Member ids differ per repetition and phase, so every sign-up is a new member.
        var burst = new SignupPhase(api, 1_000_000_000L * rep, members, buttonShare);
        var paced = new SignupPhase(api, (1_000_000_000L * rep) + 500_000_000, rate * latencySeconds, buttonShare);
        SignupPhase[] phases = [burst, paced];
        var strays = new ConcurrentQueue<BotMessage>();
        api.OnMessage = message =>
        {
            if (Array.Find(phases, p => p.Owns(message.ChatId)) is not { } phase || !phase.Take(message))
            {
                strays.Enqueue(message);
            }
        };

        await using var bot = Bot.Start(context, Bot.Environment(api, connectionString));
        await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);
        var sessionId = await WaitForSessionAsync(connectionString, bot, ct);
        burst.SessionId = paced.SessionId = sessionId;

        // As fast as the bot asks: everything is offered at once; getUpdates hands out 100 at a time.
        var cpuBefore = bot.CpuMilliseconds();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < burst.Count; i++)
        {
            burst.Offer(i);
        }

        await burst.WaitAsync([bot], TimeSpan.FromSeconds(60 + (members / 50)), strays, ct);
        var throughput = members / Stopwatch.GetElapsedTime(started, burst.LastConfirmation).TotalSeconds;
        var cpuPerSignup = (bot.CpuMilliseconds() - cpuBefore) / members;

        // A fixed offered rate: each member's first update is offered on schedule.
        var pacedStart = Stopwatch.GetTimestamp();
        for (var offered = 0; offered < paced.Count;)
        {
            var due = Math.Min(paced.Count, (int)(Stopwatch.GetElapsedTime(pacedStart).TotalSeconds * rate) + 1);
            while (offered < due)
            {
                paced.Offer(offered++);
            }

            await Task.Delay(1, ct);
        }

        await paced.WaitAsync([bot], TimeSpan.FromSeconds(60), strays, ct);
        var latencies = paced.Latencies();
        var (pickup, handling) = paced.Split();
        BenchContext.Progress($"typed sign-ups: pickup p50 {Statistics.Percentile(pickup, 50):0.0} p99 {Statistics.Percentile(pickup, 99):0.0} ms; handling p50 {Statistics.Percentile(handling, 50):0.0} p99 {Statistics.Percentile(handling, 99):0.0} ms");
        BenchContext.Progress($"latency ms: p90 {Statistics.Percentile(latencies, 90):0.0}, p95 {Statistics.Percentile(latencies, 95):0.0}, max {latencies[^1]:0.0}; "
            + $"typed only p99 {Statistics.Percentile(paced.Latencies(button: false), 99):0.0}, button only p99 {Statistics.Percentile(paced.Latencies(button: true), 99):0.0}");

        // Anything late (a duplicate confirmation, a second reply) would arrive now.
        await Task.Delay(500, ct);
        var peakMemory = bot.PeakMemoryMegabytes();
        await bot.StopAsync(TimeSpan.FromSeconds(15));
        foreach (var phase in phases)
        {
            await phase.VerifyAsync(connectionString, ct);
        }

        if (api.CallbackAnswers != phases.Sum(p => p.ButtonCount))
        {
            throw new BenchmarkFailedException($"Expected {phases.Sum(p => p.ButtonCount)} answered button presses; the bot answered {api.CallbackAnswers}.");
        }

        if (!strays.IsEmpty)
        {
            throw new BenchmarkFailedException($"{strays.Count} unexpected messages{SignupPhase.Example(strays)}");
        }

        return new BotRun(sessionId, throughput, cpuPerSignup, Statistics.Percentile(latencies, 50), Statistics.Percentile(latencies, 99), peakMemory);
    }

    /// <summary>
    /// The statements the bot issues for a sign-up, taken from its own constants: the inbox store with the member
    /// upsert (one round trip), the session lock with the member's registration (BEGIN goes with it, as Npgsql
    /// sends it), the registration and counter update (one round trip), COMMIT, and the processed mark. Arrays
    /// of one stand in for the batches: this is one sign-up per transaction, what the bot does when alone.
    /// </summary>
    private static string PgbenchScript(long sessionId)
    {
        // Spaces after colons: pgbench would read ":1" inside the JSON as a variable.
        const string Payload = """{"update_id": 1, "message": {"message_id": 1, "from": {"id": 1, "is_bot": false, "first_name": "读者", "language_code": "zh-hans"}, "chat": {"id": 1, "first_name": "读者", "type": "private"}, "date": 1790000000, "text": "报名 元宇宙"}}""";
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["UpdateIds"] = "array[:uid]::bigint[]",
            ["ChatIds"] = "array[:uid]::bigint[]",
            ["Payloads"] = $"array['{Payload}']::text[]",
            ["Ids"] = "array[:uid]::bigint[]",
            ["DisplayNames"] = "array['读者']::text[]",
            ["Usernames"] = "array[null]::text[]",
            ["LanguageCodes"] = "array['zh-hans']::text[]",
            ["memberId"] = ":uid",
            ["sessionId"] = ":sid",
            ["memberIds"] = "array[:uid]::bigint[]",
            ["statuses"] = "array['confirmed']::text[]",
            ["sources"] = "array[null]::text[]",
            ["decidedAt"] = "array[now()]::timestamptz[]",
            ["updateIds"] = "array[:uid]::bigint[]",
            ["High"] = "(:uid >> 32)::int",
            ["Low"] = "(:uid & 2147483647)::int",
            ["chatId"] = ":uid",
            ["MaxUpdates"] = ChatTurns.MaxUpdates.ToString(CultureInfo.InvariantCulture),
            ["expiry"] = "interval '1 hour'",
        };

        // One round trip in the bot is one compound command ("\;") here.
        string Command(string sql) =>
            Parameter().Replace(sql.Trim().TrimEnd(';'), m => values[m.Groups[1].Value]).Replace(";\n", " \\;\n", StringComparison.Ordinal) + ";\n";

        return new StringBuilder()
            .Append("\\set uid random(1000000000000, 1999999999999)\n")
            .Append(CultureInfo.InvariantCulture, $"\\set sid {sessionId}\n")
            .Append(Command(InboxRepository.StoreSql))
            .Append(Command(ChatTurns.LockSql + ";\n" + ChatTurns.PendingSql + ";\n" + DialogueStore.FindSql))
            .Append(Command("begin;\n" + RegistrationStore.LockBatchSql))
            .Append(Command(RegistrationStore.SignUpBatchSql))
            .Append("commit;\n")
            .Append(Command(InboxRepository.MarkProcessedSql + ";\n" + ChatTurns.UnlockSql))
            .ToString();
    }

    [GeneratedRegex(@"@([A-Za-z]+)")]
    private static partial Regex Parameter();

    /// <summary>
    /// The metaverse session's id, once the bot has synced it: the bot polls before its database is prepared
    /// (the first repetition's migrations and every start's sessions sync run beside the first poll).
    /// </summary>
    private static async Task<long> WaitForSessionAsync(string connectionString, ChildProcess bot, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await BenchDatabase.ScalarAsync<bool>(connectionString, "select to_regclass('sessions') is not null", ct)
                && await BenchDatabase.ScalarAsync<long?>(connectionString, "select id from sessions where key = 'metaverse'", ct) is { } id)
            {
                return id;
            }

            if (bot.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new BenchmarkFailedException($"The bot did not sync its sessions within 60 s of its first poll:\n{bot.Tail()}");
            }

            await Task.Delay(10, ct);
        }
    }

    /// <summary>Every repetition starts from the same empty tables; configured sessions stay.</summary>
    private static async Task ResetAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select to_regclass('inbox') is not null", cancellationToken: ct)))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "truncate inbox, registrations, members cascade; update sessions set confirmed_count = 0, waitlisted_count = 0",
                cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("vacuum analyze", commandTimeout: 300, commandType: System.Data.CommandType.Text, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("checkpoint", commandTimeout: 300, commandType: System.Data.CommandType.Text, cancellationToken: ct));
        }
    }

    private sealed record BotRun(long SessionId, double Throughput, double CpuPerSignup, double P50, double P99, double PeakMemory);
}
