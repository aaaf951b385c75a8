using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Sessions;
using Baoming.Stats;
using Npgsql;
using SkiaSharp;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// <c>/stats</c> of one session with N registrations: counting and drawing in this process (what a <c>/stats</c>
/// press costs the running bot), and the bot's <c>stats</c> verb drawing the PNG (a separate process, host start
/// included; peak memory sampled while it runs), against psql running a plain
/// <c>select date_bin(…), count(*) … group by 1</c> over the same rows on the same cluster. The chart is counted
/// in SQL, so its time should follow the database's, and its memory must not grow with N.
/// </summary>
internal sealed class StatsScenario : IScenario
{
    private const string SessionKey = "bench-stats";

    public string Name => "stats";

    public string Summary => "the chart of one session with N registrations with `stats --output FILE.png`, against a COUNT … GROUP BY in psql";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--rows N", "registrations of the session (default 1000000; --quick 100000)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var rows = context.Args.Int("rows", 1_000_000, 100_000);
        var reps = context.Args.Repetitions;
        var cluster = await context.ClusterAsync(cancellationToken);
        var database = await BenchDatabase.CreateAsync(cluster, $"stats_{Environment.ProcessId}", cancellationToken);
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database };

        await using (var migrate = ChildProcess.Start(context.BotDll, ["migrate"], environment))
        {
            if (!await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2), cancellationToken) || migrate.ExitCode != 0)
            {
                throw new BenchmarkFailedException("migrate failed: " + migrate.Tail());
            }
        }

        BenchContext.Progress($"seeding {rows} registrations");
        await SeedAsync(database, rows, cancellationToken);

        var output = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-stats.png");
        List<double> botSeconds = [], renderSeconds = [], psqlSeconds = [], memory = [];
        await using var dataSource = NpgsqlDataSource.Create(database);
        using var chart = new StatsChart();
        // Once untimed: the first render loads the font and compiles the drawing code, as a bot's first /stats does.
        await RenderAsync(dataSource, chart, cancellationToken);
        try
        {
            for (var rep = 1; rep <= reps; rep++)
            {
                var render = await RenderAsync(dataSource, chart, cancellationToken);
                var (seconds, peak) = await DrawAsync(context, environment, output, cancellationToken);
                CheckChart(output);
                var baseline = await GroupByAsync(database, cancellationToken);
                renderSeconds.Add(render);
                botSeconds.Add(seconds);
                psqlSeconds.Add(baseline);
                memory.Add(peak);
                BenchContext.Progress($"rep {rep}: count and draw {render:0.000} s; stats verb {seconds:0.000} s, {peak:0} MB; psql group by {baseline:0.000} s");
            }
        }
        finally
        {
            File.Delete(output);
        }

        const string Psql = "psql COUNT … GROUP BY";
        return new ResultTable(
            "stats",
            [
                $"machine: {BenchContext.Machine()}",
                $"{rows} registrations of one session over 30 days (confirmed, waitlisted, cancelled; six sources), 2 reminders and a broadcast marked",
                "count and draw: StatsRepository.SessionAsync + StatsChart.DrawAsync in the benchmark's process (the bot's work for one /stats, after one untimed warm-up); " +
                $"stats verb: `Baoming.dll stats --session {SessionKey} --output FILE.png` (a process: host start, migrations check, counting and drawing); " +
                "psql: `select date_bin('1 hour', registered_at, …), count(*) from registrations where session_id = … group by 1` (a process too)",
                $"repetitions: {reps}, alternating",
            ],
            [
                new Figure(Psql, "s", psqlSeconds),
                new Figure("count and draw (in process)", "s", renderSeconds) { Baseline = Psql, Target = new Target("≤ 2 s", (s, _) => s <= 2) },
                new Figure("stats verb (process)", "s", botSeconds) { Baseline = Psql },
                new Figure("stats peak memory (VmHWM)", "MB", memory) { Target = new Target("≤ 200 MB", (m, _) => m <= 200) },
            ]);
    }

    private static async Task<(double Seconds, double PeakMegabytes)> DrawAsync(
        BenchContext context, Dictionary<string, string?> environment, string output, CancellationToken cancellationToken)
    {
        File.Delete(output);
        return await ChildProcess.RunMeasuredAsync(context.BotDll, ["stats", "--session", SessionKey, "--output", output], environment, cancellationToken);
    }

    /// <summary>Counts the session in SQL and draws its PNG, as the bot does for <c>/stats KEY</c>; seconds.</summary>
    private static async Task<double> RenderAsync(NpgsqlDataSource dataSource, StatsChart chart, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var started = Stopwatch.GetTimestamp();
        var session = (await new SessionRepository(dataSource, TimeProvider.System).FindByKeyAsync(SessionKey, cancellationToken))?.Session
            ?? throw new BenchmarkFailedException($"no session {SessionKey}");
        var stats = await new StatsRepository(dataSource).SessionAsync(session, DateTimeOffset.UtcNow, zone, cancellationToken);
        var png = await chart.DrawAsync(stats, new Texts(Language.Chinese, zone).StatsSessionChartLabels(stats, zone), zone, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (stats.SignUps == 0 || png.Length < 10_000)
        {
            throw new BenchmarkFailedException($"counted {stats.SignUps} sign-ups, drew {png.Length} bytes");
        }

        return seconds;
    }

    /// <summary>The chart must be a chart: a PNG of the right size with ink on it.</summary>
    private static void CheckChart(string file)
    {
        using var bitmap = SKBitmap.Decode(file) ?? throw new BenchmarkFailedException($"{file} is not a PNG");
        var inked = 0;
        for (var y = 0; y < bitmap.Height; y += 4)
        {
            for (var x = 0; x < bitmap.Width; x += 4)
            {
                inked += bitmap.GetPixel(x, y) == SKColors.White ? 0 : 1;
            }
        }

        if (bitmap.Width != 1200 || bitmap.Height != 700 || inked < 1000)
        {
            throw new BenchmarkFailedException($"the chart is {bitmap.Width}×{bitmap.Height} with {inked} inked samples");
        }
    }

    private static async Task<double> GroupByAsync(string database, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database);
        var query = $"""
            select date_bin('1 hour', r.registered_at, timestamptz '2024-01-01 00:00:00+08') as bucket, count(*)
              from registrations r
             where r.session_id = (select id from sessions where key = '{SessionKey}')
             group by 1 order by 1
            """.ReplaceLineEndings(" ");
        var start = new ProcessStartInfo(Pgbench.Locate().Replace("pgbench", "psql", StringComparison.Ordinal))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-At", "-c", query })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password;
        var started = Stopwatch.GetTimestamp();
        using var psql = Process.Start(start)!;
        var error = psql.StandardError.ReadToEndAsync(cancellationToken);
        var lines = (await psql.StandardOutput.ReadToEndAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        await psql.WaitForExitAsync(cancellationToken);
        if (psql.ExitCode != 0 || lines == 0)
        {
            throw new BenchmarkFailedException("psql failed: " + await error);
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// The session, an earlier one a tenth of the members also signed up to (the returning share has work to do),
    /// N registrations spread over the 30 days before the start, two reminders gone out and a broadcast.
    /// </summary>
    private static async Task SeedAsync(string database, int rows, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into sessions (key, title, starts_at, duration_minutes, source)
            values ('bench-earlier', '上一期选题会', timestamptz '2027-02-01 19:30:00+08', 90, 'chat'),
                   ('bench-stats', '线上选题会：到底什么是"元宇宙"', timestamptz '2027-03-03 19:30:00+08', 90, 'chat');
            insert into members (id, display_name, language_code)
            select 1000000000 + g, '读者' || g, 'zh-hans' from generate_series(1, @rows) g;
            insert into registrations (session_id, member_id, status, registered_at)
            select s.id, 1000000000 + g, 'confirmed', timestamptz '2027-01-15 00:00:00+08' + g * interval '1 second'
              from sessions s, generate_series(1, @rows / 10) g where s.key = 'bench-earlier';
            insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq, source)
            select s.id, 1000000000 + g, case g % 10 when 0 then 'cancelled' when 1 then 'waitlisted' else 'confirmed' end,
                   s.starts_at - interval '30 days' + (g::double precision / @rows) * interval '30 days',
                   case when g % 10 = 0 then s.starts_at - interval '1 day' end,
                   case when g % 10 = 1 then nextval('waitlist_seq') end,
                   (array[null, 'wx36kr', 'group-bookclub', 'qrcode', 'weibo', 'newsletter'])[1 + g % 6]
              from sessions s, generate_series(1, @rows) g where s.key = 'bench-stats' order by g;
            update sessions s
               set confirmed_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'confirmed'),
                   waitlisted_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'waitlisted');
            insert into reminder_slots (session_id, "offset", due_at, state)
            select id, o, starts_at - o, 'done' from sessions, unnest(array[interval '1 day', interval '1 hour']) o where key = 'bench-stats';
            insert into broadcasts (author_id, audience, session_id, text, state, prepared_at)
            select 1, 'everyone', id, 'bench', 'done', starts_at - interval '5 days' from sessions where key = 'bench-stats';
            analyze members;
            analyze registrations;
            analyze sessions;
            """;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 900 };
        command.Parameters.AddWithValue("rows", rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
