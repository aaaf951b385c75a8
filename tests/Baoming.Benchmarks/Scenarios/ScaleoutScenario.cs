using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Storage.Embedded;
using Dapper;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// The bot scaled out: instances in webhook mode against one database (<see cref="WebhookBots"/>), the benchmark
/// playing Telegram (<see cref="WebhookTelegram"/>: 40 POSTs at a time in all, round-robin over the instances). Each
/// repetition runs one instance and two, alternating which goes first: the sign-up burst of <c>signup</c>, then the
/// broadcast of <c>broadcast</c>; on two instances also two broadcasts of half the size at once, which are two
/// Hangfire jobs and so can run on different instances. A single broadcast is one job holding a per-topic lease:
/// it runs on one instance whatever their number, and the global limit caps it either way.
/// Each run has its own database and fresh processes.
/// </summary>
internal sealed partial class ScaleoutScenario : IScenario
{
    private const int Limit = BroadcastBench.Limit;

    /// <summary>The start of FanOut's "Fan-out {Topic}: {Total} recipients", logged by the instance that sends.</summary>
    private const string FanOutLine = "Fan-out broadcast:";

    /// <summary>Log levels of the bot's console lines worth reporting.</summary>
    private static readonly string[] Warnings = [" warn: ", " fail: ", " crit: "];

    public string Name => "scaleout";

    public string Summary => "the sign-up burst and a broadcast on one webhook instance and on two: throughput ratio two/one, combined send rate against the limit";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--members N", "members in each sign-up burst (default 10000; --quick 2000)"),
        ("--button-share F", "share who send 报名 and press the button (default 0.2)"),
        ("--registrants N", "broadcast recipients, even (default 100000; --quick 10000)"),
        ("--reps N", "repetitions, each of every run (default 2; --quick 1)"),
        ("--think-ms N", "a person's pause between the bot's answer and their next update: button press, organizer's next step (default 0: at once)"),
        ("--part P", "only the sign-up runs (signup) or only the broadcasts (broadcast); default both"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var members = args.Int("members", 10_000, 2_000);
        var buttonShare = args.Double("button-share", 0.2);
        var registrants = args.Int("registrants", 100_000, 10_000) / 2 * 2;
        var reps = args.Int("reps", 2, 1);
        var think = TimeSpan.FromMilliseconds(args.Int("think-ms", 0, 0));
        var part = args.Value("part");
        if (part is not (null or "signup" or "broadcast"))
        {
            throw new BenchmarkFailedException($"--part is signup or broadcast, not '{part}'.");
        }

        var cluster = await context.ClusterAsync(cancellationToken);

        // Index 0: one instance, 1: two instances.
        List<double>[] signups = [[], []], cpu = [[], []], signupRetries = [[], []], rate = [[], []], worst = [[], []];
        List<double>[] p99 = [[], []];
        List<double> over = [];
        List<double> combined = [], pairRate = [], pairCombined = [], pairWorst = [], pairInstances = [], duplicates = [];
        List<string> notes = [];
        for (var rep = 1; rep <= reps; rep++)
        {
            List<string> seen = [];
            int[] order = rep % 2 == 1 ? [1, 2] : [2, 1];
            foreach (var instances in part is "broadcast" ? [] : order)
            {
                BenchContext.Progress($"rep {rep}: sign-up burst of {members} on {instances} instance(s)");
                var run = await SignUpAsync(context, cluster, rep, instances, members, buttonShare, think, cancellationToken);
                signups[instances - 1].Add(run.Throughput);
                cpu[instances - 1].Add(run.CpuPerSignup);
                signupRetries[instances - 1].Add(run.Retries);
                BenchContext.Progress($"rep {rep}: {instances} instance(s): {run.Throughput:0} sign-ups/s, {run.CpuPerSignup:0.00} ms CPU each; {run.Seen}");
                seen.Add($"sign-ups on {instances}: {run.Seen}");
            }

            if (part is "signup")
            {
                notes.Add($"rep {rep}: {string.Join("; ", seen)}");
                continue;
            }

            foreach (var instances in order)
            {
                BenchContext.Progress($"rep {rep}: broadcast to {registrants} on {instances} instance(s)");
                var run = await BroadcastAsync(context, cluster, instances, broadcasts: 1, registrants, think, cancellationToken);
                rate[instances - 1].Add(run.SendsPerSecond);
                worst[instances - 1].Add(run.WorstSecond);
                p99[instances - 1].Add(run.Windows.P99);
                over.Add(run.Windows.Over);
                duplicates.Add(run.Duplicates);
                if (instances == 2)
                {
                    combined.Add(run.SendsPerSecond / Limit);
                }

                BenchContext.Progress($"rep {rep}: {instances} instance(s): {run.SendsPerSecond:0} sends/s ({run.SendsPerSecond / Limit:0.000} × limit), {run.Windows}; {run.Seen}");
                seen.Add($"broadcast on {instances}: {run.Seen}");
            }

            BenchContext.Progress($"rep {rep}: two broadcasts to {registrants / 2} each at once on 2 instances");
            var pair = await BroadcastAsync(context, cluster, instances: 2, broadcasts: 2, registrants, think, cancellationToken);
            pairRate.Add(pair.SendsPerSecond);
            pairCombined.Add(pair.SendsPerSecond / Limit);
            pairWorst.Add(pair.WorstSecond);
            over.Add(pair.Windows.Over);
            pairInstances.Add(pair.InstancesUsed);
            duplicates.Add(pair.Duplicates);
            BenchContext.Progress($"rep {rep}: two at once: {pair.SendsPerSecond:0} sends/s together ({pair.SendsPerSecond / Limit:0.000} × limit), {pair.Windows}; {pair.Seen}");
            seen.Add($"two at once: {pair.Seen}");
            notes.Add($"rep {rep}: {string.Join("; ", seen)}");
        }

        const string SignupOne = "sign-ups, 1 instance";
        const string BroadcastOne = "broadcast, 1 instance: send rate";
        static Target NeverOverLimit(List<double> windows) => new($"never > {Limit}", (_, _) => windows.Max() <= Limit);
        static Target AtMostLimit(List<double> ratios) => new("≤ 1", (_, _) => ratios.Max() <= 1);
        List<string> settings =
        [
            $"machine: {BenchContext.Machine()}",
            $"cluster: embedded PostgreSQL ({(context.IsDurable ? "durable: fsync and synchronous_commit on" : "fsync off")}), one database per run, migrated by `migrate` before the instances start",
            $"instances: `Baoming.dll run` with Telegram:Mode=Webhook, Http:Urls http://127.0.0.1:0, one connection string; Telegram played by the benchmark: "
                + $"{WebhookTelegram.Connections} POSTs at a time in all, round-robin over the instances, secret header, non-2xx retried",
        ];
        List<Figure> figures = [];
        if (part is not "broadcast")
        {
            settings.Add($"sign-up burst: {members} distinct members, {buttonShare:P0} via 报名 + button, all offered at once; throughput = members / (first offer → last confirmation at the fake); "
                + "checked: each member confirmed once and registered once, each button press answered, each update stored once and handled");
            figures.AddRange(
            [
                new Figure(SignupOne, "sign-ups/s", signups[0]),
                new Figure("sign-ups, 2 instances", "sign-ups/s", signups[1]) { Baseline = SignupOne },
                new Figure("bot CPU per sign-up, 1 instance", "ms", cpu[0]),
                new Figure("bot CPU per sign-up, 2 instances together", "ms", cpu[1]),
                new Figure("sign-up updates retried (non-2xx), 1 instance", "POSTs", signupRetries[0]),
                new Figure("sign-up updates retried (non-2xx), 2 instances", "POSTs", signupRetries[1]),
            ]);
        }

        if (part is not "signup")
        {
            settings.Add($"broadcast: /broadcast → session → text → 立即发送 through the webhook, {registrants} confirmed registrants seeded with SQL, Telegram:MaxMessagesPerSecond={Limit} (global); "
                + $"two at once: two sessions of {registrants / 2}, both pressed together; send rate = first → last arrival at the fake, all instances; "
                + "checked: every recipient reached once, one broadcast per dialogue, all done, ledger all sent");
            figures.AddRange(
            [
                new Figure(BroadcastOne, "msg/s", rate[0]),
                new Figure("broadcast, 2 instances: send rate, all", "msg/s", rate[1]) { Baseline = BroadcastOne },
                new Figure("broadcast, 2 instances: combined rate / limit", "× limit", combined) { Target = AtMostLimit(combined) },
                new Figure("broadcast, 1 instance: worst 1-s window", "sends", worst[0]) { Target = NeverOverLimit(worst[0]) },
                new Figure("broadcast, 2 instances: worst 1-s window, all", "sends", worst[1]) { Target = NeverOverLimit(worst[1]) },
                new Figure($"2 broadcasts at once (2 × {registrants / 2}), 2 instances: send rate, all", "msg/s", pairRate) { Baseline = BroadcastOne },
                new Figure("2 at once: combined rate / limit", "× limit", pairCombined) { Target = AtMostLimit(pairCombined) },
                new Figure("2 at once: worst 1-s window, all", "sends", pairWorst) { Target = NeverOverLimit(pairWorst) },
                new Figure("broadcast, 1 instance: 1-s windows p99", "sends", p99[0]),
                new Figure("broadcast, 2 instances: 1-s windows p99, all", "sends", p99[1]),
                new Figure($"1-s windows over {Limit}, all broadcast runs", "windows", over) { Target = new Target("0", (_, _) => over.All(o => o == 0)) },
                new Figure("2 at once: instances that ran a fan-out", "instances", pairInstances),
                new Figure("duplicate messages, all broadcast runs", "messages", duplicates) { Target = new Target("0", (_, _) => duplicates.All(d => d == 0)) },
            ]);
        }

        settings.Add($"think time: {(think > TimeSpan.Zero ? $"{think.TotalMilliseconds:0} ms between an answer and the member's or organizer's next update" : "none, the next update goes out as the answer arrives")}");
        settings.Add($"repetitions: {reps}, alternating which of one and two instances goes first");
        settings.AddRange(notes);
        return new ResultTable("scaleout", settings, figures);
    }

    /// <summary>
    /// Every member's first update offered at once through the webhook; done when every member has their
    /// confirmation. Then nothing may be missing or twice: confirmations, registrations, button answers, stored updates.
    /// </summary>
    private static async Task<SignupRun> SignUpAsync(
        BenchContext context, EmbeddedPostgres cluster, int rep, int instances, int members, double buttonShare, TimeSpan think, CancellationToken ct)
    {
        const string Database = "bench_scaleout_signup";
        var connectionString = await BenchDatabase.CreateAsync(cluster, Database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var environment = Bot.Environment(api, connectionString);
            await Bot.MigrateAsync(context, environment, ct);
            var sessionId = await BenchDatabase.ScalarAsync<long>(connectionString, "select id from sessions where key = 'metaverse'", ct);

            await using var bots = await WebhookBots.StartAsync(context, environment, instances, Warnings, ct);
            await using var telegram = new WebhookTelegram(bots.Endpoints, bots.Secret);
            // Member ids differ per repetition and setup, so every sign-up is a new member.
            var burst = new SignupPhase(telegram, (1_000_000_000L * rep) + (100_000_000L * instances), members, buttonShare) { SessionId = sessionId, Think = think };
            var strays = new ConcurrentQueue<BotMessage>();
            api.OnMessage = message =>
            {
                if (!burst.Owns(message.ChatId) || !burst.Take(message))
                {
                    strays.Enqueue(message);
                }
            };

            var cpuBefore = bots.CpuMilliseconds();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < members; i++)
            {
                burst.Offer(i);
            }

            try
            {
                await burst.WaitAsync(bots.Processes, TimeSpan.FromSeconds(60 + (members / 50)), strays, ct);
            }
            catch (BenchmarkFailedException e) when (strays.TryPeek(out var stray))
            {
                throw new BenchmarkFailedException($"{await DescribeChatAsync(connectionString, telegram, stray.ChatId, ct)}\n{e.Message}", e);
            }

            var throughput = members / Stopwatch.GetElapsedTime(started, burst.LastConfirmation).TotalSeconds;
            var cpuPerSignup = (bots.CpuMilliseconds() - cpuBefore) / members;

            // Anything late (a duplicate confirmation, a second reply) would arrive now.
            await Task.Delay(500, ct);
            await bots.StopAsync(TimeSpan.FromSeconds(20));
            await burst.VerifyAsync(connectionString, ct);
            if (api.CallbackAnswers != burst.ButtonCount)
            {
                throw new BenchmarkFailedException($"Expected {burst.ButtonCount} answered button presses; the bot answered {api.CallbackAnswers}.");
            }

            if (!strays.IsEmpty)
            {
                throw new BenchmarkFailedException($"{strays.Count} unexpected messages{SignupPhase.Example(strays)}");
            }

            // A 2xx from the webhook means stored: each update once in the inbox, and handled.
            var offered = members + burst.ButtonCount;
            var stored = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from inbox", ct);
            var handled = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from inbox where processed_at is not null", ct);
            if (stored != offered || handled != offered || telegram.StoredBy.Sum() != offered)
            {
                throw new BenchmarkFailedException($"Offered {offered} updates, {telegram.StoredBy.Sum()} answered 2xx; the inbox holds {stored}, {handled} handled.");
            }

            return new SignupRun(throughput, cpuPerSignup, telegram.Retries, $"updates stored per instance {string.Join(" / ", telegram.StoredBy)}, {telegram.DescribeRetries()}{Complaints(bots)}");
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, Database, ct);
        }
    }

    /// <summary>
    /// <paramref name="broadcasts"/> broadcasts (one per session, <paramref name="registrants"/> recipients in all) drafted
    /// one after the other through the webhook, then sent together; done when every recipient has their message.
    /// </summary>
    private static async Task<BroadcastRun> BroadcastAsync(
        BenchContext context, EmbeddedPostgres cluster, int instances, int broadcasts, int registrants, TimeSpan think, CancellationToken ct)
    {
        const string Database = "bench_scaleout_broadcast";
        var connectionString = await BenchDatabase.CreateAsync(cluster, Database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var received = new Received(BenchDatabase.FirstChatId, registrants);
            var organizer = new Organizer { Think = think };
            api.OnMessage = message =>
            {
                if (!organizer.Take(message))
                {
                    received.Take(message);
                }
            };

            var environment = BroadcastBench.Environment(api, connectionString, broadcasts);
            var sessionIds = await BroadcastBench.PrepareAsync(context, environment, connectionString, registrants, broadcasts, ct);
            await using var bots = await WebhookBots.StartAsync(context, environment, instances, [FanOutLine, "running elsewhere", .. Warnings], ct);
            await using var telegram = new WebhookTelegram(bots.Endpoints, bots.Secret);
            List<string> sendNow = [];
            try
            {
                foreach (var sessionId in sessionIds)
                {
                    sendNow.Add(await organizer.DraftAsync(telegram, sessionId, bots.Processes, ct));
                }
            }
            catch (BenchmarkFailedException e)
            {
                throw new BenchmarkFailedException($"{await DescribeChatAsync(connectionString, telegram, Organizer.Id, ct)} ({telegram.PendingUpdates} not stored yet, {telegram.DescribeRetries()})\n{e.Message}", e);
            }

            await organizer.SendAsync(telegram, sendNow, ct);

            await BroadcastBench.WaitForAllAsync(received, bots.Processes, ct);

            // Let the final reports and the ledger write-back land, then check nothing came twice.
            await Task.Delay(3000, ct);
            await bots.StopAsync(TimeSpan.FromSeconds(20));
            var duplicates = received.Duplicates;
            received.Verify($"{instances} instance(s)");
            await BroadcastBench.VerifyAsync(connectionString, registrants, broadcasts, ct);

            // Which instance sent each broadcast, from its "Fan-out broadcast:N: M recipients" line.
            var topics = bots.Processes.Select(p => p.Watched.Select(l => FanOutStart().Match(l)).Where(m => m.Success).Select(m => m.Groups["topic"].Value).ToList()).ToList();
            var elsewhere = bots.Processes.Sum(p => p.Watched.Count(l => l.Contains("running elsewhere", StringComparison.Ordinal)));
            var seen = string.Join(", ", topics.Select((t, i) => $"#{i + 1} ran {(t.Count == 0 ? "none" : string.Join(" + ", t))}"))
                + (elsewhere > 0 ? $", {elsewhere} runs found theirs running elsewhere" : "")
                + (telegram.Retries > 0 ? $", {telegram.DescribeRetries()}" : "")
                + Complaints(bots);
            return new BroadcastRun(received.SendsPerSecond(), received.WorstSecond(), received.Windows(Limit), duplicates, topics.Count(t => t.Count > 0), seen);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, Database, ct);
        }
    }

    /// <summary>", 3 warnings/errors from the bot, e.g. …", or nothing.</summary>
    private static string Complaints(WebhookBots bots)
    {
        var lines = bots.Processes.SelectMany(p => p.Watched.Where(l => Warnings.Any(w => l.Contains(w, StringComparison.Ordinal)))).ToList();
        return lines.Count == 0 ? "" : $", {lines.Count} warnings/errors from the bot, e.g. {lines[0].Trim()}";
    }

    /// <summary>What the inbox holds for a chat: each update, the instance that stored it, and when it was handled.</summary>
    private static async Task<string> DescribeChatAsync(string connectionString, WebhookTelegram telegram, long chatId, CancellationToken ct)
    {
        const string Sql = """
            select update_id as UpdateId, coalesce(payload->'message'->>'text', payload->'callback_query'->>'data') as Content,
                   received_at as ReceivedAt, processed_at as ProcessedAt
              from inbox where chat_id = @chatId order by update_id
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(long UpdateId, string? Content, DateTime ReceivedAt, DateTime? ProcessedAt)>(
            new CommandDefinition(Sql, new { chatId }, cancellationToken: ct));
        return $"Inbox of chat {chatId}: " + string.Join("; ", rows.Select(r =>
            $"update {r.UpdateId} \"{r.Content}\" stored by #{telegram.StoredOn(r.UpdateId) + 1} at {r.ReceivedAt:HH:mm:ss.ffffff}, handled at {r.ProcessedAt:HH:mm:ss.ffffff}"));
    }

    [GeneratedRegex(@"Fan-out (?<topic>broadcast:\d+): \d+ recipients")]
    private static partial Regex FanOutStart();

    /// <param name="Seen">Where the updates went, retries, and the bot's warnings, if any.</param>
    private sealed record SignupRun(double Throughput, double CpuPerSignup, int Retries, string Seen);

    /// <param name="InstancesUsed">How many instances sent a broadcast.</param>
    /// <param name="Seen">Which instance ran which broadcast, and webhook retries and the bot's warnings, if any.</param>
    private sealed record BroadcastRun(double SendsPerSecond, int WorstSecond, WindowStats Windows, int Duplicates, int InstancesUsed, string Seen);
}
