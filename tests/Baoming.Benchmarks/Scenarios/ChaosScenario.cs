using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Storage.Embedded;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// Issue 12: no update, flood or fault stops the bot or stalls other chats. For a few minutes the real bot
/// (<c>run</c>, polling the lean fake Bot API) gets, all at once: members signing up at a steady rate in their
/// private chats ("报名 元宇宙", each reply's latency measured); poison updates mixed into that stream (JSON the
/// bot's library cannot round-trip, handed out raw by getUpdates); a group flooding the bot with /signup while
/// the fake answers every send to that group with 429 (retry_after 5); and an organizer's broadcast, started
/// through the chat, to N registrants at the configured limit. The bot must stay up, confirm every sign-up
/// quickly and once, move its getUpdates offset past every poison update, and keep the broadcast at its rate.
/// If the bot exits, the run ends there: the figures so far are printed and the program exits with 1.
/// </summary>
internal sealed class ChaosScenario : IScenario
{
    /// <summary>How the bot's confirmation of a sign-up begins.</summary>
    private const string Confirmation = "✅";

    private const long FirstWarmUpMember = 900_000_000;
    private const int WarmUpMembers = 50;
    private const long FirstMember = 1_000_000_000;
    private const long FirstPoisonSender = 2_000_000_000;
    private const long FirstGroupMember = 3_000_000_000;

    /// <summary>A supergroup (negative id, as Telegram's are); every send to it is answered 429.</summary>
    private const long GroupChatId = -1_001_000_000_001;

    /// <summary><see cref="GroupChatId"/> as JSON has it, whatever the culture's minus sign.</summary>
    private const string GroupChatJson = "-1001000000001";

    private const int GroupMembers = 200;
    private const int RetryAfterSeconds = 5;
    private const double LatencyTargetMs = 1000;

    /// <summary>What the host logs when it begins to stop: the bot takes no more updates from here on.</summary>
    private const string ShuttingDown = "Application is shutting down";

    /// <summary>What the host logs when a background service (e.g. the poller) throws: the reason it stops.</summary>
    private const string ServiceFailed = "BackgroundService failed";

    /// <summary>The kinds of poison, offered in turn.</summary>
    private static readonly string[] PoisonKinds =
    [
        "a message entity of an unknown type (brand_new_entity)",
        "a sticker without type",
        "\\u0000 in text and first_name",
        "an update kind from a future Bot API (brand_new_update)",
    ];

    public string Name => "chaos";

    public string Summary => "sign-ups at a steady rate amid poison updates, a group flooding into 429s and a broadcast: the bot must stay up, answer every member in time, and keep the broadcast's rate";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--seconds S", "length of the chaos per repetition (default 120; --quick 40)"),
        ("--rate R", "sign-ups offered per second, one new member each, in private chats (default 50)"),
        ("--poison-every N", "one update in N of the members' stream is poison (default 20)"),
        ("--flood R", "/signup per second in the flooding group, whose sends all get 429 (default 20)"),
        ("--registrants N", "broadcast recipients (default 3000; --quick 300)"),
        ("--limit L", "Telegram:MaxMessagesPerSecond (default 50)"),
        ("--broadcast-at S", "seconds into the chaos when the organizer starts the broadcast (default 15; --quick 5)"),
        ("--grace S", "after the chaos, how long confirmations and the broadcast may still take (default 30; --quick 15)"),
        ("--reps N", "repetitions, each on a fresh database and bot process (default 3; --quick 1)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var args = context.Args;
        var s = new Settings(
            Seconds: args.Int("seconds", 120, 40),
            Rate: args.Int("rate", 50, 50),
            PoisonEvery: args.Int("poison-every", 20, 20),
            Flood: args.Int("flood", 20, 20),
            Registrants: args.Int("registrants", 3_000, 300),
            Limit: args.Int("limit", 50, 50),
            BroadcastAt: args.Int("broadcast-at", 15, 5),
            Grace: args.Int("grace", 30, 15));
        var reps = args.Int("reps", 3, 1);
        if (s.Seconds < 1 || s.Rate < 1 || s.PoisonEvery < 2 || s.Flood < 1 || s.Registrants < 2 || s.Limit is < 1 or > 1000 || s.BroadcastAt >= s.Seconds || reps < 1)
        {
            throw new BenchmarkFailedException("chaos: --seconds, --rate, --flood, --reps ≥ 1, --poison-every ≥ 2, --registrants ≥ 2, --limit 1–1000, --broadcast-at < --seconds.");
        }

        var cluster = await context.ClusterAsync(cancellationToken);
        List<double> confirmed = [], p50 = [], p99 = [], reached = [], rate = [], poison = [], exits = [], duplicates = [], throttled = [];
        List<string> notes = [], failures = [];
        for (var rep = 1; rep <= reps; rep++)
        {
            BenchContext.Progress($"rep {rep}: {s.Seconds} s of chaos: {s.Rate} sign-ups/s, 1 in {s.PoisonEvery} poison, group flood {s.Flood}/s into 429s, broadcast to {s.Registrants} at {s.Limit}/s from {s.BroadcastAt} s");
            var run = await RunOnceAsync(context, cluster, rep, s, cancellationToken);
            confirmed.Add(run.Offered == 0 ? 0 : (double)run.Confirmed / run.Offered);
            p50.Add(run.P50);
            p99.Add(run.P99);
            reached.Add((double)run.Reached / s.Registrants);
            rate.Add(run.BroadcastRate / s.Limit);
            poison.Add(run.PoisonOffered == 0 ? 1 : (double)run.PoisonConfirmed / run.PoisonOffered);
            exits.Add(run.Stopped ? 1 : 0);
            duplicates.Add(run.Duplicates);
            throttled.Add(run.Throttled);
            notes.Add($"rep {rep}: {run.Notes}");
            BenchContext.Progress($"rep {rep}: {run.Notes}");
            if (run.Problems.Count > 0)
            {
                // One failed repetition is enough to know; the next would only take as long again.
                failures.Add($"rep {rep}: {string.Join("; ", run.Problems)}");
                break;
            }
        }

        var table = new ResultTable(
            "chaos",
            [
                $"machine: {BenchContext.Machine()}",
                $"bot: `Baoming.dll run` polling the lean fake Bot API, Telegram:MaxMessagesPerSecond={s.Limit}, warmed up by {WarmUpMembers} calm sign-ups before the chaos; cluster: embedded PostgreSQL ({(context.IsDurable ? "durable" : "fsync off")}), one database per repetition",
                $"chaos, {s.Seconds} s: {s.Rate} new members/s each send 报名 元宇宙 in their private chat; 1 update in {s.PoisonEvery} of that stream is poison, in turn: {string.Join("; ", PoisonKinds)}",
                $"flood: supergroup {GroupChatJson} sends /signup {s.Flood}/s from {GroupMembers} members; the fake answers every send to it 429 (retry_after {RetryAfterSeconds}), other chats unaffected",
                $"broadcast: {s.BroadcastAt} s in, the organizer's /broadcast → session → text → 立即发送 through getUpdates, to {s.Registrants} confirmed registrants (seeded with SQL); rate = (recipients reached − 1) / (first → last arrival) / limit; the limiter's headroom is {Baoming.Delivery.RateLimiter.Headroom:0.00}",
                $"latency: update offered → ✅ confirmation at the fake; a sign-up never confirmed counts as infinitely late; target p99 ≤ {LatencyTargetMs:0} ms in every repetition",
                $"the run fails (exit 1) if the bot stops (its host shuts down or its process exits), a sign-up or a poison update is still unconfirmed {s.Grace} s after the chaos, or a message comes twice or to an unexpected chat; it stops at the first failed repetition",
                $"repetitions: {exits.Count} of {reps}, each on a fresh database and bot process",
                .. notes,
            ],
            [
                new Figure("sign-ups confirmed / offered", "ratio", confirmed) { Target = new Target("1.00", (_, _) => confirmed.All(c => c == 1)) },
                new Figure("reply latency p50", "ms", p50),
                new Figure("reply latency p99", "ms", p99) { Target = new Target($"≤ {LatencyTargetMs:0} ms", (_, _) => p99.Max() <= LatencyTargetMs) },
                new Figure("broadcast recipients reached / registrants", "ratio", reached) { Target = new Target("1.00", (_, _) => reached.All(r => r == 1)) },
                new Figure("broadcast rate / limit", "ratio", rate) { Target = new Target("0.95 – 1.00 (headroom 0.97)", (_, _) => rate.All(r => r is >= 0.95 and <= 1)) },
                new Figure("poison updates confirmed by getUpdates / offered", "ratio", poison) { Target = new Target("1.00", (_, _) => poison.All(p => p == 1)) },
                new Figure("bot stops or exits before the end", "stops", exits) { Target = new Target("0", (_, _) => exits.All(e => e == 0)) },
                new Figure("duplicates (members confirmed twice, recipients messaged twice)", "messages", duplicates) { Target = new Target("0", (_, _) => duplicates.All(d => d == 0)) },
                new Figure("sends to the flooding group answered 429", "requests", throttled),
            ]);
        if (failures.Count > 0)
        {
            throw new BenchmarkFailedWithResultsException(string.Join("\n", failures), table);
        }

        return table;
    }

    private static async Task<Run> RunOnceAsync(BenchContext context, EmbeddedPostgres cluster, int rep, Settings s, CancellationToken ct)
    {
        var database = $"bench_chaos_{rep}";
        var connectionString = await BenchDatabase.CreateAsync(cluster, database, ct);
        try
        {
            await using var api = await LeanBotApi.StartAsync();
            var warmUp = new Tally(FirstWarmUpMember, WarmUpMembers);
            var members = new Tally(FirstMember, (s.Rate * s.Seconds) + s.Rate + 1);
            var recipients = new Tally(BenchDatabase.FirstChatId, s.Registrants);
            var organizer = new Organizer();
            var others = new Others();
            api.OnMessage = message =>
            {
                if (organizer.Take(message))
                {
                    return;
                }

                if (members.Owns(message.ChatId) && message.Text.StartsWith(Confirmation, StringComparison.Ordinal))
                {
                    members.Take(message);
                }
                else if (warmUp.Owns(message.ChatId) && message.Text.StartsWith(Confirmation, StringComparison.Ordinal))
                {
                    warmUp.Take(message);
                }
                else if (recipients.Owns(message.ChatId))
                {
                    recipients.Take(message);
                }
                else if (message.ChatId >= FirstPoisonSender && message.ChatId < FirstGroupMember)
                {
                    Interlocked.Increment(ref others.PoisonReplies);
                }
                else if (message.ChatId == GroupChatId)
                {
                    Interlocked.Increment(ref others.GroupReplies);
                }
                else
                {
                    others.Strays.Enqueue(message);
                }
            };

            var environment = BroadcastBench.Environment(api, connectionString, sessions: 1);
            environment["Telegram__MaxMessagesPerSecond"] = s.Limit.ToString(CultureInfo.InvariantCulture);
            var broadcastSession = (await BroadcastBench.PrepareAsync(context, environment, connectionString, s.Registrants, sessions: 1, ct))[0];
            var signupSession = await BenchDatabase.ScalarAsync<long>(connectionString, "select id from sessions where key = 'metaverse'", ct);
            api.Throttle(GroupChatId, RetryAfterSeconds);

            await using var bot = Bot.Start(context, environment, [ShuttingDown, ServiceFailed]);
            await Bot.WaitForFirstPollAsync(api, bot, TimeSpan.FromSeconds(60), ct);
            await WarmUpAsync(api, bot, warmUp, ct);

            // The bot has stopped once its host begins to shut down (it takes no more updates, though the process
            // may linger over its shutdown grace) or its process is gone, whichever is seen first.
            var chaosStart = Stopwatch.GetTimestamp();
            long stoppedAt = 0;
            bool Stopped()
            {
                if (stoppedAt == 0 && (bot.HasExited || bot.Watched.Any(l => l.Contains(ShuttingDown, StringComparison.Ordinal))))
                {
                    stoppedAt = Stopwatch.GetTimestamp();
                }

                return stoppedAt != 0;
            }

            List<long> poisonIds = [];
            int PoisonConfirmed()
            {
                var below = api.ConfirmedBelow;
                return poisonIds.Count(id => id < below);
            }

            // The chaos: everything offered on schedule, every millisecond or so, until the end or the bot's exit.
            using var organizerStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task<(long PressedAt, string Note)>? broadcast = null;
            var groupOffers = 0;
            while (!Stopped())
            {
                var elapsed = Stopwatch.GetElapsedTime(chaosStart).TotalSeconds;
                if (elapsed >= s.Seconds)
                {
                    break;
                }

                var due = Math.Min(members.Capacity, (int)(elapsed * s.Rate) + 1);
                while (members.Offered < due)
                {
                    var i = members.Offered;
                    members.MarkOffered(i);
                    api.Offer(SignupUpdate(members.IdOf(i)));
                    if ((i + 1) % (s.PoisonEvery - 1) == 0)
                    {
                        poisonIds.Add(api.Offer(PoisonUpdate(poisonIds.Count)));
                    }
                }

                while (groupOffers < (int)(elapsed * s.Flood) + 1)
                {
                    api.Offer(GroupUpdate(groupOffers++));
                }

                if (broadcast is null && elapsed >= s.BroadcastAt)
                {
                    broadcast = BroadcastAsync(organizer, api, broadcastSession, bot, chaosStart, organizerStop.Token);
                }

                await Task.Delay(1, ct);
            }

            var chaosSeconds = Stopwatch.GetElapsedTime(chaosStart).TotalSeconds;
            string? stopped = null;
            if (Stopped())
            {
                stopped = await DescribeStopAsync(bot, chaosStart, stoppedAt, ct);
                BenchContext.Progress($"rep {rep}: {stopped}; its last lines:");
                foreach (var line in bot.Tail().Split('\n').TakeLast(15))
                {
                    // Stack traces come on one line: the start is enough here.
                    BenchContext.Progress($"  bot: {(line.Length > 240 ? line[..240] + " …" : line)}");
                }
            }

            // What is still on its way may arrive within the grace period; a bot that has exited sends nothing more.
            bool AllIn() => members.Distinct == members.Offered && recipients.Distinct == recipients.Capacity && PoisonConfirmed() == poisonIds.Count;
            var graceStart = Stopwatch.GetTimestamp();
            while (!Stopped() && !AllIn() && Stopwatch.GetElapsedTime(graceStart).TotalSeconds < s.Grace)
            {
                await Task.Delay(5, ct);
            }

            await organizerStop.CancelAsync();
            var (pressedAt, organizerNote) = broadcast is null ? (0L, "organizer: never started (the bot stopped first)") : await broadcast;

            // Anything late (a duplicate confirmation or broadcast message) would arrive now.
            var lateStart = Stopwatch.GetTimestamp();
            while (!Stopped() && Stopwatch.GetElapsedTime(lateStart).TotalSeconds < 1)
            {
                await Task.Delay(5, ct);
            }

            if (stopped is null && Stopped())
            {
                stopped = await DescribeStopAsync(bot, chaosStart, stoppedAt, ct);
            }

            var confirmedBelow = api.ConfirmedBelow;
            var pending = api.PendingUpdates;
            var throttled = api.ThrottledSends;
            await bot.StopAsync(TimeSpan.FromSeconds(20));

            var latencies = members.Latencies();
            var answered = latencies.Where(double.IsFinite).ToArray();
            var poisonConfirmed = PoisonConfirmed();
            var duplicates = members.Duplicates + recipients.Duplicates;
            var (first, last) = recipients.FirstAndLast();

            List<string> problems = [];
            if (stopped is not null)
            {
                problems.Add(stopped);
            }

            if (members.Distinct < members.Offered)
            {
                problems.Add($"{members.Offered - members.Distinct} of {members.Offered} sign-ups never confirmed");
            }

            if (poisonConfirmed < poisonIds.Count)
            {
                problems.Add($"{poisonIds.Count - poisonConfirmed} of {poisonIds.Count} poison updates never confirmed (getUpdates offset stuck at {confirmedBelow}, {pending} updates waiting at the fake)");
            }

            if (duplicates > 0)
            {
                problems.Add($"{members.Duplicates} duplicate confirmations, {recipients.Duplicates} duplicate broadcast messages");
            }

            if (!others.Strays.IsEmpty)
            {
                problems.Add($"{others.Strays.Count} unexpected messages{SignupPhase.Example(others.Strays)}");
            }

            if (stopped is null && members.Distinct == members.Offered)
            {
                // Every member confirmed at the fake: exactly one confirmed registration each in the database.
                var registered = await BenchDatabase.ScalarAsync<long>(
                    connectionString,
                    $"select count(*) from registrations where session_id = {signupSession} and status = 'confirmed' and member_id between {FirstMember} and {FirstMember + members.Offered - 1}",
                    ct);
                if (registered != members.Offered)
                {
                    problems.Add($"{members.Offered} members confirmed, but {registered} confirmed registrations in the database");
                }
            }

            var notes = string.Join(
                "; ",
                $"{chaosSeconds:0.0} s of chaos",
                $"sign-ups {members.Distinct}/{members.Offered} confirmed (confirmed ones: p50 {Statistics.Percentile(answered, 50):0.0} ms, p99 {Statistics.Percentile(answered, 99):0.0} ms, max {(answered.Length == 0 ? double.NaN : answered[^1]):0} ms)",
                $"poison {poisonConfirmed}/{poisonIds.Count} confirmed by getUpdates (offset {confirmedBelow}), {others.PoisonReplies} replies to their senders",
                $"group: {groupOffers} /signup offered, {throttled} sends answered 429, {others.GroupReplies} delivered",
                organizerNote,
                recipients.Distinct == 0 ? $"broadcast: 0/{s.Registrants} reached"
                    : $"broadcast: {recipients.Distinct}/{s.Registrants} reached, first {BenchContext.Milliseconds(pressedAt == 0 ? chaosStart : pressedAt, first) / 1000:0.0} s after {(pressedAt == 0 ? "the chaos began" : "立即发送")}, over {BenchContext.Milliseconds(first, last) / 1000:0.0} s",
                $"{pending} updates not taken by the bot at the end");
            return new Run(
                members.Offered,
                members.Distinct,
                Statistics.Percentile(latencies, 50),
                Statistics.Percentile(latencies, 99),
                recipients.Distinct,
                recipients.Distinct < 2 ? 0 : (recipients.Distinct - 1) / (BenchContext.Milliseconds(first, last) / 1000),
                poisonIds.Count,
                poisonConfirmed,
                stopped is not null,
                duplicates,
                throttled,
                problems,
                notes);
        }
        finally
        {
            await BenchDatabase.DropAsync(cluster, database, ct);
        }
    }

    /// <summary>A few calm sign-ups first, so that start-up costs (JIT, first connections) are not counted as the chaos's.</summary>
    private static async Task WarmUpAsync(LeanBotApi api, ChildProcess bot, Tally warmUp, CancellationToken ct)
    {
        for (var i = 0; i < warmUp.Capacity; i++)
        {
            warmUp.MarkOffered(i);
            api.Offer(SignupUpdate(warmUp.IdOf(i)));
            await Task.Delay(20, ct);
        }

        var waited = Stopwatch.StartNew();
        while (warmUp.Distinct < warmUp.Capacity)
        {
            if (bot.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new BenchmarkFailedException($"Warm-up: {warmUp.Distinct} of {warmUp.Capacity} calm sign-ups confirmed (bot exited: {bot.HasExited}); the bot's last lines:\n{bot.Tail()}");
            }

            await Task.Delay(5, ct);
        }

        // Let the confirmations' tail end (turn ends, processed marks) settle.
        await Task.Delay(500, ct);
    }

    /// <summary>
    /// "bot exited (code 0) after 15.7 s of chaos; its host began stopping after 0.4 s (BackgroundService failed
    /// System.Text.Json.JsonException: …)": when the process was gone (waiting up to a minute for it), when its host began
    /// to stop, and why.
    /// </summary>
    private static async Task<string> DescribeStopAsync(ChildProcess bot, long chaosStart, long stoppedAt, CancellationToken ct)
    {
        var stoppedAfter = BenchContext.Milliseconds(chaosStart, stoppedAt) / 1000;
        var exited = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);
        var exitedAfter = Stopwatch.GetElapsedTime(chaosStart).TotalSeconds;
        var reason = bot.Watched.FirstOrDefault(l => l.Contains(ServiceFailed, StringComparison.Ordinal)) is { } failed
            ? failed[failed.IndexOf(ServiceFailed, StringComparison.Ordinal)..].Split("   at ")[0].Trim()
            : null;
        var exit = !exited ? $"bot stopped taking updates after {stoppedAfter:0.0} s of chaos (its host began shutting down) and was still running a minute later"
            : Math.Abs(exitedAfter - stoppedAfter) < 0.5 ? $"bot exited (code {bot.ExitCode}) after {stoppedAfter:0.0} s of chaos"
            : $"bot exited (code {bot.ExitCode}) after {exitedAfter:0.0} s of chaos; its host began stopping after {stoppedAfter:0.0} s";
        return reason is null ? exit : $"{exit} ({reason})";
    }

    /// <summary>The organizer drafts the broadcast through the chat and presses 立即发送; returns when it was pressed (0 if never) and what happened.</summary>
    private static async Task<(long PressedAt, string Note)> BroadcastAsync(
        Organizer organizer, LeanBotApi api, long sessionId, ChildProcess bot, long chaosStart, CancellationToken ct)
    {
        try
        {
            var sendNow = await organizer.DraftAsync(api, sessionId, [bot], ct);
            var pressed = Stopwatch.GetTimestamp();
            await organizer.SendAsync(api, [sendNow], ct);
            return (pressed, $"organizer: 立即发送 pressed {BenchContext.Milliseconds(chaosStart, pressed) / 1000:0.0} s into the chaos");
        }
        catch (BenchmarkFailedException e)
        {
            return (0, $"organizer: {e.Message.Split('\n')[0]}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (0, "organizer: the bot had not answered the draft when the run ended");
        }
    }

    private static string Date => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string SignupUpdate(long userId) =>
        $$$"""
        "message":{"message_id":1,"from":{"id":{{{userId}}},"is_bot":false,"first_name":"读者","language_code":"zh-hans"},"chat":{"id":{{{userId}}},"first_name":"读者","type":"private"},"date":{{{Date}}},"text":"报名 元宇宙"}}
        """;

    /// <summary>The <paramref name="k"/>-th poison update (of <see cref="PoisonKinds"/>, in turn), from a sender of its own; raw JSON, as Telegram would send it.</summary>
    private static string PoisonUpdate(int k)
    {
        var userId = FirstPoisonSender + k;
        var from = $$$"""{"id":{{{userId}}},"is_bot":false,"first_name":"读者","language_code":"zh-hans"}""";
        var chat = $$$"""{"id":{{{userId}}},"first_name":"读者","type":"private"}""";
        return (k % PoisonKinds.Length) switch
        {
            0 => $$$$"""
                "message":{"message_id":1,"from":{{{{from}}}},"chat":{{{{chat}}}},"date":{{{{Date}}}},"text":"你好","entities":[{"type":"brand_new_entity","offset":0,"length":2}]}}
                """,
            1 => $$$$"""
                "message":{"message_id":1,"from":{{{{from}}}},"chat":{{{{chat}}}},"date":{{{{Date}}}},"sticker":{"file_id":"CAACAgIAAxkBAAIBenchSticker","file_unique_id":"AgADBench","width":512,"height":512,"is_animated":false,"is_video":false,"emoji":"👍"}}}
                """,
            2 => $$$$"""
                "message":{"message_id":1,"from":{"id":{{{{userId}}}},"is_bot":false,"first_name":"读\u0000者","language_code":"zh-hans"},"chat":{"id":{{{{userId}}}},"first_name":"读\u0000者","type":"private"},"date":{{{{Date}}}},"text":"你\u0000好"}}
                """,
            _ => $$$$"""
                "brand_new_update":{"id":"{{{{userId}}}}","from":{{{{from}}}},"date":{{{{Date}}}},"payload":{"kind":"未来","items":[1,2,3]}}}
                """,
        };
    }

    private static string GroupUpdate(int n) =>
        $$$"""
        "message":{"message_id":{{{n + 1}}},"from":{"id":{{{FirstGroupMember + (n % GroupMembers)}}},"is_bot":false,"first_name":"群友","language_code":"zh-hans"},"chat":{"id":{{{GroupChatJson}}},"title":"报名交流群","type":"supergroup"},"date":{{{Date}}},"text":"/signup","entities":[{"type":"bot_command","offset":0,"length":7}]}}
        """;

    private sealed record Settings(int Seconds, int Rate, int PoisonEvery, int Flood, int Registrants, int Limit, int BroadcastAt, int Grace);

    /// <param name="BroadcastRate">Messages to recipients per second, first to last arrival (0 with fewer than two).</param>
    /// <param name="Problems">Why the repetition failed; empty if it did not.</param>
    private sealed record Run(
        int Offered,
        int Confirmed,
        double P50,
        double P99,
        int Reached,
        double BroadcastRate,
        int PoisonOffered,
        int PoisonConfirmed,
        bool Stopped,
        int Duplicates,
        int Throttled,
        IReadOnlyList<string> Problems,
        string Notes);

    /// <summary>Messages to chats outside the measured ranges, counted on the fake's threads.</summary>
    private sealed class Others
    {
        public int PoisonReplies;
        public int GroupReplies;

        public ConcurrentQueue<BotMessage> Strays { get; } = new();
    }

    /// <summary>
    /// Chats with consecutive ids: when each one's update was offered (in order), when its first expected message
    /// arrived, and how many did.
    /// </summary>
    private sealed class Tally(long firstId, int capacity)
    {
        private readonly long[] offeredAt = new long[capacity];
        private readonly long[] firstAt = new long[capacity];
        private readonly int[] messages = new int[capacity];
        private int offered;
        private int distinct;

        public int Capacity => capacity;

        public int Offered => Volatile.Read(ref offered);

        public int Distinct => Volatile.Read(ref distinct);

        /// <summary>Messages beyond the first to the same chat.</summary>
        public int Duplicates => messages.Sum(m => Math.Max(0, m - 1));

        public bool Owns(long chatId) => chatId >= firstId && chatId < firstId + capacity;

        public long IdOf(int i) => firstId + i;

        /// <summary>The <paramref name="i"/>-th chat's update is about to be offered (the next in order).</summary>
        public void MarkOffered(int i)
        {
            offeredAt[i] = Stopwatch.GetTimestamp();
            Volatile.Write(ref offered, i + 1);
        }

        public void Take(BotMessage message)
        {
            var i = (int)(message.ChatId - firstId);
            if (Interlocked.Increment(ref messages[i]) == 1)
            {
                firstAt[i] = message.At;
                Interlocked.Increment(ref distinct);
            }
        }

        /// <summary>Offer → first message, in ms, ascending; +∞ for a chat offered but never answered.</summary>
        public double[] Latencies() =>
            [.. Enumerable.Range(0, Offered).Select(i => firstAt[i] == 0 ? double.PositiveInfinity : BenchContext.Milliseconds(offeredAt[i], firstAt[i])).Order()];

        /// <summary>The first and last arrival (Stopwatch timestamps); (0, 0) if none arrived.</summary>
        public (long First, long Last) FirstAndLast()
        {
            var arrived = firstAt.Where(at => at != 0).ToArray();
            return arrived.Length == 0 ? (0, 0) : (arrived.Min(), arrived.Max());
        }
    }
}
