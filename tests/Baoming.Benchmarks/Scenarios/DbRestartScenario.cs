using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Core.Organizers;
using Dapper;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// Issue 13, "nothing lost": the broadcast of <see cref="BroadcastScenario"/> (the organizer's /broadcast through the
/// chat, N registrants at 1000 msg/s, the real bot process and the lean fake), and part-way through it a database
/// fault: PostgreSQL restarted (<c>pg_ctl stop -m fast</c>, a few seconds down, started again on the same port), or
/// every connection of the bot ended with <c>pg_terminate_backend</c> (the server stays up). Then the fan-out must
/// finish by itself: every recipient reached exactly once, or recorded <c>unknown</c> (only sends in flight at the
/// fault may be), nothing left <c>sending</c>, and the bot still running. Figures are counted, not timed: the run
/// exits with 1 when one misses its target, after printing the table.
/// </summary>
/// <remarks>
/// A scenario of its own rather than an option of <c>broadcast</c>: that one fails at the first duplicate and
/// measures rates on the shared cluster, while this one counts the damage and needs a cluster it can restart
/// (<see cref="RestartableCluster"/>, fixed port). The broadcast, not the reminder, carries the fan-out: it starts
/// when the organizer presses 立即发送, with no due time to wait for; both go through the same FanOut and ledger.
/// </remarks>
internal sealed class DbRestartScenario : IScenario
{
    private const int Limit = BroadcastBench.Limit;

    /// <summary>The benchmark's own sendMessage round-trip probes go to this chat (not a registrant).</summary>
    private const long ProbeChat = 6_000_000_000;

    private const int ProbeEveryMs = 20;

    /// <summary>What the host logs when it begins to stop: the bot takes no more updates from here on.</summary>
    private const string ShuttingDown = "Application is shutting down";

    private const string ServiceFailed = "BackgroundService failed";

    private static readonly string[] Watch = [ShuttingDown, ServiceFailed, "Fan-out", "Retry attempt", "Database unavailable"];

    public string Name => "dbrestart";

    public string Summary => "a broadcast to N at 1000 msg/s with PostgreSQL restarted (pg_ctl stop -m fast, 3 s down) ~35 % through, and with pg_terminate_backend of all the bot's connections: "
        + "recipients reached once, twice, never; ledger unknown and sending; time to the first send after; bot alive";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--registrants N", "recipients (default 100000; --quick 10000)"),
        ("--at F", "the fault comes once the fake has received F × N messages (default 0.35)"),
        ("--down S", "seconds the server stays stopped in the restart (default 3)"),
        ("--faults LIST", "restart, terminate or restart,terminate (default both, in that order)"),
        ("--timeout S", "how long the fan-out may take to finish after the fault (default 120 + 2 × N / 1000)"),
        ("--reps N", "repetitions of each fault, each on a fresh database and bot process (default 3; --quick 1)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var registrants = args.Int("registrants", 100_000, 10_000);
        var timeout = 120 + (2 * registrants / Limit);
        var s = new Settings(
            Registrants: registrants,
            At: args.Double("at", 0.35),
            Down: TimeSpan.FromSeconds(args.Double("down", 3)),
            Timeout: TimeSpan.FromSeconds(args.Int("timeout", timeout, timeout)));
        var reps = args.Int("reps", 3, 1);
        var faults = (args.Value("faults") ?? "restart,terminate").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (s.Registrants < 10 || s.At is <= 0 or >= 1 || s.Down < TimeSpan.Zero || reps < 1 || faults.Length == 0 || faults.Any(f => f is not ("restart" or "terminate")))
        {
            throw new BenchmarkFailedException("dbrestart: --registrants ≥ 10, 0 < --at < 1, --down ≥ 0, --reps ≥ 1, --faults restart and/or terminate.");
        }

        await using var cluster = await RestartableCluster.StartAsync("dbrestart", context.IsDurable, cancellationToken);
        var runs = faults.ToDictionary(f => f, _ => new List<Run>());
        List<string> notes = [];
        for (var rep = 1; rep <= reps; rep++)
        {
            foreach (var fault in faults)
            {
                BenchContext.Progress($"rep {rep}, {fault}: broadcast to {s.Registrants}, fault at {s.At:P0} received");
                var run = await RunOnceAsync(context, cluster, fault, rep, s, cancellationToken);
                runs[fault].Add(run);
                notes.Add($"rep {rep}, {fault}: {run.Notes}");
                BenchContext.Progress($"rep {rep}, {fault}: {run.Notes}");
            }
        }

        List<Figure> figures = [];
        foreach (var fault in faults)
        {
            var r = runs[fault];
            var once = r.Select(x => (double)x.Once / s.Registrants).ToList();
            var twice = r.Select(x => (double)x.Twice).ToList();
            var never = r.Select(x => (double)x.NeverNotUnknown).ToList();
            var unknown = r.Select(x => (double)x.Unknown).ToList();
            var bound = r.Select(x => (double)x.Bound).ToList();
            var sending = r.Select(x => (double)x.Sending).ToList();
            var resumed = r.Select(x => x.FirstSendAfter).ToList();
            var pause = r.Select(x => x.LongestPause).ToList();
            var alive = r.Select(x => x.Alive ? 1.0 : 0.0).ToList();
            var from = fault == "restart" ? "server ready again" : "backends terminated";
            figures.AddRange(
            [
                new Figure($"{fault}: recipients reached exactly once / total", "ratio", once) { Target = new Target("1.00", (_, _) => once.All(o => o == 1)) },
                new Figure($"{fault}: recipients reached twice or more", "recipients", twice) { Target = new Target("0", (_, _) => twice.All(t => t == 0)) },
                new Figure($"{fault}: recipients never reached, not `unknown`", "recipients", never) { Target = new Target("0", (_, _) => never.All(n => n == 0)) },
                new Figure($"{fault}: ledger `unknown`", "rows", unknown) { Target = new Target("≤ bound below, each rep", (_, _) => r.All(x => x.Unknown <= x.Bound)) },
                new Figure($"{fault}: bound: ⌈limit × sendMessage round trip p99⌉", "sends", bound),
                new Figure($"{fault}: ledger rows left `sending`", "rows", sending) { Target = new Target("0", (_, _) => sending.All(x => x == 0)) },
                new Figure($"{fault}: {from} → first send after it", "s", resumed),
                new Figure($"{fault}: longest pause in arrivals after the fault", "s", pause),
                new Figure($"{fault}: bot process alive at the end", "1 = yes", alive) { Target = new Target("1 (must be)", (_, _) => alive.All(a => a == 1)) },
            ]);
        }

        var table = new ResultTable(
            "dbrestart",
            [
                $"machine: {BenchContext.Machine()}",
                $"cluster: embedded PostgreSQL of its own on a fixed port ({(context.IsDurable ? "durable: fsync and synchronous_commit on" : "fsync off")}), one database per run",
                $"bot: `Baoming.dll run`, Telegram:MaxMessagesPerSecond={Limit}; {s.Registrants} confirmed registrants seeded with SQL; the organizer's /broadcast, audience, text and 立即发送 through getUpdates",
                $"fault, once the fake has received {s.At:0.00} × {s.Registrants} messages: restart = `pg_ctl stop -m fast` (the benchmark's EmbeddedPostgres.StopAsync, waits until the server is gone), "
                    + $"{s.Down.TotalSeconds:0.#} s down, `pg_ctl start` on the same port; terminate = pg_terminate_backend of every other client backend on the bot's database (bot and Hangfire), server up",
                $"then: until the ledger has no `pending`/`sending` rows and the broadcast is `done` (or every recipient was reached), at most {s.Timeout.TotalSeconds:0} s after the fault; 3 s more for late duplicates",
                $"bound on sends in flight at the fault = ⌈{Limit}/s (the limit, ≥ the rate) × p99 of sendMessage round trips the benchmark itself made to the fake every {ProbeEveryMs} ms during the fan-out before the fault (same machine and load)⌉, at least 1",
                "never reached, not `unknown`: chats that got no message and whose ledger row is not `unknown` (an `unknown` send may really not have gone out)",
                $"repetitions: {reps} per fault, each on a fresh database and bot process",
                .. notes,
            ],
            figures);
        if (!table.AllTargetsMet)
        {
            throw new BenchmarkFailedWithResultsException("dbrestart: a recipient was lost or reached twice, the ledger was left unfinished, or the bot died (see the table)", table);
        }

        return table;
    }

    private static async Task<Run> RunOnceAsync(BenchContext context, RestartableCluster cluster, string fault, int rep, Settings s, CancellationToken ct)
    {
        var database = $"bench_dbrestart_{fault}_{rep}";
        var connectionString = await BenchDatabase.CreateAsync(cluster.Server, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var arrivals = new Arrivals(BenchDatabase.FirstChatId, s.Registrants);
            var organizer = new Organizer();
            api.OnMessage = message =>
            {
                if (message.ChatId != ProbeChat && !organizer.Take(message))
                {
                    arrivals.Take(message);
                }
            };

            var environment = BroadcastBench.Environment(api, connectionString, sessions: 1);
            var sessionId = (await BroadcastBench.PrepareAsync(context, environment, connectionString, s.Registrants, sessions: 1, ct))[0];
            await using var bot = Bot.Start(context, environment, Watch);
            await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);

            var sendNow = await organizer.DraftAsync(api, sessionId, [bot], ct);
            await using var probe = new RoundTripProbe($"{api.BaseUrl}/bot{LeanBotApi.Token}/sendMessage");
            await organizer.SendAsync(api, [sendNow], ct);

            // Until the fault's moment, by messages the fake received.
            var threshold = (int)Math.Ceiling(s.At * s.Registrants);
            var waited = Stopwatch.StartNew();
            var untilThreshold = TimeSpan.FromSeconds(60 + (2.0 * s.Registrants / Limit));
            while (arrivals.Messages < threshold)
            {
                if (bot.HasExited || waited.Elapsed > untilThreshold || arrivals.Strays > 0)
                {
                    throw new BenchmarkFailedException(
                        $"before the fault: {arrivals.Messages} of {threshold} messages received in {waited.Elapsed.TotalSeconds:0} s ({arrivals.Strays} unexpected); the bot's last lines:\n{bot.Tail()}");
                }

                await Task.Delay(2, ct);
            }

            var roundTrips = await probe.StopAsync();
            var p50 = Statistics.Percentile(roundTrips, 50);
            var p99 = Statistics.Percentile(roundTrips, 99);
            var bound = Math.Max(1, (int)Math.Ceiling(Limit * p99 / 1000));
            var beforeFault = arrivals.Messages;

            // The fault.
            long faultAt, resumeFrom;
            string faultNote;
            if (fault == "restart")
            {
                var (began, stopped, ready) = await cluster.RestartAsync(s.Down, ct);
                faultAt = began;
                resumeFrom = ready;
                faultNote = $"server stopped in {BenchContext.Milliseconds(began, stopped):0} ms, ready again {BenchContext.Milliseconds(began, ready) / 1000:0.0} s after the stop began, "
                    + $"{arrivals.Between(began, ready)} messages arrived meanwhile";
            }
            else
            {
                faultAt = Stopwatch.GetTimestamp();
                var (terminated, named) = await TerminateAsync(connectionString, ct);
                resumeFrom = Stopwatch.GetTimestamp();
                faultNote = $"{terminated} backends terminated ({named} named baoming) in {BenchContext.Milliseconds(faultAt, resumeFrom):0} ms";
            }

            // Until the fan-out is finished, the bot is gone, or the time is up.
            var afterFault = Stopwatch.StartNew();
            string ending;
            while (true)
            {
                if (bot.HasExited)
                {
                    ending = $"the bot exited (code {bot.ExitCode}) {afterFault.Elapsed.TotalSeconds:0.0} s after the fault";
                    break;
                }

                if (afterFault.Elapsed > s.Timeout)
                {
                    ending = $"NOT finished {s.Timeout.TotalSeconds:0} s after the fault";
                    break;
                }

                if (await IsFinishedAsync(connectionString, arrivals, ct))
                {
                    ending = $"finished {afterFault.Elapsed.TotalSeconds:0.0} s after the fault";
                    break;
                }

                await Task.Delay(200, ct);
            }

            // Anything late (a duplicate) would arrive now.
            await Task.Delay(3000, ct);
            var alive = !bot.HasExited && !bot.Watched.Any(l => l.Contains(ShuttingDown, StringComparison.Ordinal));
            var watched = bot.Watched;
            await bot.StopAsync(TimeSpan.FromSeconds(20));

            var ledger = await LedgerAsync(connectionString, ct);
            var counts = arrivals.PerChat();
            int once = 0, twice = 0, neverNotUnknown = 0, neverUnknown = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                switch (counts[i])
                {
                    case 1:
                        once++;
                        break;
                    case > 1:
                        twice++;
                        break;
                    default:
                        if (ledger.States.GetValueOrDefault(BenchDatabase.FirstChatId + i) == "unknown")
                        {
                            neverUnknown++;
                        }
                        else
                        {
                            neverNotUnknown++;
                        }

                        break;
                }
            }

            var firstAfter = arrivals.FirstAfter(resumeFrom);
            var notes = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{beforeFault} messages before the fault; {faultNote}; {ending}; ")
                .Append(CultureInfo.InvariantCulture, $"round trip p50 {p50:0.00} ms, p99 {p99:0.00} ms ({roundTrips.Length} probes) → bound {bound}; ")
                .Append(CultureInfo.InvariantCulture, $"ledger: {ledger.Rows} rows, {ledger.Count("sent")} sent, {ledger.Count("unknown")} unknown ({neverUnknown} of them never reached), ")
                .Append(CultureInfo.InvariantCulture, $"{ledger.Count("pending")} pending, {ledger.Count("sending")} sending, {ledger.Count("failed")} failed; broadcast {ledger.BroadcastState}; ")
                .Append(CultureInfo.InvariantCulture, $"{arrivals.Messages} messages to {arrivals.Distinct} recipients; bot: {Summarize(watched)}")
                .ToString();
            return new Run(
                once,
                twice,
                neverNotUnknown,
                ledger.Count("unknown"),
                bound,
                ledger.Count("sending"),
                firstAfter is { } at ? BenchContext.Milliseconds(resumeFrom, at) / 1000 : double.NaN,
                arrivals.LongestPauseAfter(faultAt) / 1000,
                alive,
                notes);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster.Server, database, ct);
        }
    }

    /// <summary>Ends every other client session on the bot's database; returns how many, and how many the bot named.</summary>
    private static async Task<(int Terminated, int Named)> TerminateAsync(string connectionString, CancellationToken ct)
    {
        const string Sql = """
            select count(*) filter (where pg_terminate_backend(pid))::int as Terminated,
                   count(*) filter (where application_name = 'baoming')::int as Named
              from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
            """;
        int terminated, named;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            (terminated, named) = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition(Sql, cancellationToken: ct));
        }

        // The benchmark's own pooled connections to that database went too.
        NpgsqlConnection.ClearAllPools();
        return (terminated, named);
    }

    /// <summary>The ledger has nothing left to send and the broadcast is done, or every recipient was reached; false while the database is away.</summary>
    private static async Task<bool> IsFinishedAsync(string connectionString, Arrivals arrivals, CancellationToken ct)
    {
        const string Sql = """
            select not exists (select 1 from deliveries where topic like 'broadcast:%' and state in ('pending', 'sending'))
               and (@allIn or exists (select 1 from broadcasts where state = 'done'))
            """;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { allIn = arrivals.Distinct == arrivals.Count }, cancellationToken: ct));
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            NpgsqlConnection.ClearAllPools();
            return false;
        }
    }

    private static async Task<Ledger> LedgerAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(long MemberId, string State)>(new CommandDefinition(
            "select member_id, state from deliveries where topic like 'broadcast:%'", commandTimeout: 120, cancellationToken: ct));
        var state = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select string_agg(state, ',') from broadcasts", cancellationToken: ct));
        var states = new Dictionary<long, string>();
        foreach (var (memberId, s) in rows)
        {
            states[memberId] = s;
        }

        return new Ledger(states, state ?? "none");
    }

    /// <summary>How many of the watched lines of each kind the bot logged, and its fan-out lines (shortened).</summary>
    private static string Summarize(IReadOnlyList<string> watched)
    {
        var outages = watched.Count(l => l.Contains("Database unavailable", StringComparison.Ordinal));
        var retries = watched.Count(l => l.Contains("Retry attempt", StringComparison.Ordinal));
        var failed = watched.Count(l => l.Contains(ServiceFailed, StringComparison.Ordinal));
        var fanOut = watched.Where(l => l.Contains("Fan-out", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .Select(l => l.Length > 160 ? l[..160] + " …" : l);
        return $"{outages} 'Database unavailable' warnings, {retries} Hangfire job retries, {failed} failed background services; fan-out: [{string.Join(" | ", fanOut)}]";
    }

    private sealed record Settings(int Registrants, double At, TimeSpan Down, TimeSpan Timeout);

    private sealed record Run(int Once, int Twice, int NeverNotUnknown, int Unknown, int Bound, int Sending, double FirstSendAfter, double LongestPause, bool Alive, string Notes);

    private sealed record Ledger(IReadOnlyDictionary<long, string> States, string BroadcastState)
    {
        public int Rows => States.Count;

        public int Count(string state) => States.Values.Count(s => s == state);
    }

    /// <summary>Every message to the registrants' chats: how many each got, and when each arrived.</summary>
    private sealed class Arrivals(long firstChatId, int count)
    {
        private readonly int[] messages = new int[count];
        private readonly List<long> at = new(count + 1000);
        private readonly Lock gate = new();
        private int distinct;
        private int total;
        private int strays;

        public int Count => count;

        public int Distinct => Volatile.Read(ref distinct);

        /// <summary>Every message to a registrant, duplicates included.</summary>
        public int Messages => Volatile.Read(ref total);

        public int Strays => Volatile.Read(ref strays);

        public void Take(BotMessage message)
        {
            var i = message.ChatId - firstChatId;
            if (i < 0 || i >= count)
            {
                Interlocked.Increment(ref strays);
                return;
            }

            lock (gate)
            {
                at.Add(message.At);
            }

            if (Interlocked.Increment(ref messages[i]) == 1)
            {
                Interlocked.Increment(ref distinct);
            }

            Interlocked.Increment(ref total);
        }

        public int[] PerChat() => [.. messages];

        public int Between(long from, long to)
        {
            lock (gate)
            {
                return at.Count(at => at >= from && at <= to);
            }
        }

        /// <summary>The first arrival after <paramref name="from"/> (a Stopwatch timestamp), or null.</summary>
        public long? FirstAfter(long from)
        {
            lock (gate)
            {
                var after = at.Where(at => at > from).ToList();
                return after.Count == 0 ? null : after.Min();
            }
        }

        /// <summary>The longest gap (ms) between consecutive arrivals from the last one before <paramref name="from"/> on.</summary>
        public double LongestPauseAfter(long from)
        {
            long[] sorted;
            lock (gate)
            {
                sorted = [.. at.Order()];
            }

            var start = Math.Max(0, Array.FindLastIndex(sorted, at => at <= from));
            var longest = 0.0;
            for (var i = start + 1; i < sorted.Length; i++)
            {
                longest = Math.Max(longest, BenchContext.Milliseconds(sorted[i - 1], sorted[i]));
            }

            return longest;
        }
    }

    /// <summary>
    /// sendMessage round trips from the benchmark to the fake (a chat no one else uses), one every
    /// <see cref="ProbeEveryMs"/> ms while the fan-out runs, over one kept-alive connection as the bot's client keeps them.
    /// </summary>
    private sealed class RoundTripProbe : IAsyncDisposable
    {
        private const int WarmUp = 5;

        private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
        private readonly CancellationTokenSource stop = new();
        private readonly List<double> ms = [];
        private readonly Task loop;

        public RoundTripProbe(string url) => loop = Task.Run(() => LoopAsync(url));

        /// <summary>Stops probing; the round trips after the first few (connection, JIT), in ms, ascending.</summary>
        public async Task<double[]> StopAsync()
        {
            await stop.CancelAsync();
            await loop;
            return [.. ms.Skip(WarmUp).Order()];
        }

        public async ValueTask DisposeAsync()
        {
            if (!stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            stop.Dispose();
            http.Dispose();
        }

        private async Task LoopAsync(string url)
        {
            var body = $$"""{"chat_id":{{ProbeChat.ToString(CultureInfo.InvariantCulture)}},"text":"probe"}""";
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync(new Uri(url), content, stop.Token);
                    await response.Content.ReadAsByteArrayAsync(stop.Token);
                    ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    await Task.Delay(ProbeEveryMs, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    // The fake is going away: nothing to measure.
                    return;
                }
            }
        }
    }
}
