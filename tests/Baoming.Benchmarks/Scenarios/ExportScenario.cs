using System.Diagnostics;
using System.IO.Compression;
using System.Xml;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Export;
using Npgsql;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// The attendee export of one session with N registrations to CSV and to XLSX (the bot's <c>export</c>
/// verb, a separate process), against <c>psql \copy</c> of the same rows with the same statement on the
/// same cluster. Peak memory is sampled while each export runs; it must not grow with N.
/// </summary>
internal sealed class ExportScenario : IScenario
{
    public string Name => "export";

    public string Summary => "one session's N registrations to CSV and XLSX with `export`, against psql \\copy of the same rows";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--rows N", "registrations to export (default 1000000; --quick 100000)"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var rows = context.Args.Int("rows", 1_000_000, 100_000);
        var reps = context.Args.Repetitions;
        var cluster = await context.ClusterAsync(cancellationToken);
        var database = await BenchDatabase.CreateAsync(cluster, $"export_{Environment.ProcessId}", cancellationToken);

        // The bot's own migrations and configured sessions, then N registrations for "metaverse".
        await using (var migrate = ChildProcess.Start(context.BotDll, ["migrate"], BotEnvironment(database)))
        {
            if (!await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2), cancellationToken) || migrate.ExitCode != 0)
            {
                throw new BenchmarkFailedException("migrate failed: " + migrate.Tail());
            }
        }

        BenchContext.Progress($"seeding {rows} registrations");
        await SeedAsync(database, rows, cancellationToken);

        var output = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-export.csv");
        var workbook = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-export.xlsx");
        var copy = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-copy.csv");
        List<double> botRate = [], psqlRate = [], memory = [], xlsxRate = [], xlsxMemory = [];
        try
        {
            for (var rep = 1; rep <= reps; rep++)
            {
                var (seconds, peak) = await ExportAsync(context, database, "csv", output, cancellationToken);
                var lines = CountLines(output);
                if (lines != rows + 1)
                {
                    throw new BenchmarkFailedException($"the export has {lines} lines, expected {rows + 1}");
                }

                var psqlSeconds = await CopyAsync(database, copy, cancellationToken);
                var (xlsxSeconds, xlsxPeak) = await ExportAsync(context, database, "xlsx", workbook, cancellationToken);
                var sheetRows = CountSheetRows(workbook);
                if (sheetRows != rows + 1)
                {
                    throw new BenchmarkFailedException($"the XLSX export has {sheetRows} rows, expected {rows + 1}");
                }

                botRate.Add(rows / seconds);
                psqlRate.Add(rows / psqlSeconds);
                memory.Add(peak);
                xlsxRate.Add(rows / xlsxSeconds);
                xlsxMemory.Add(xlsxPeak);
                BenchContext.Progress(
                    $"rep {rep}: export CSV {rows / seconds:0} rows/s, {peak:0} MB; XLSX {rows / xlsxSeconds:0} rows/s, {xlsxPeak:0} MB; psql \\copy {rows / psqlSeconds:0} rows/s");
            }
        }
        finally
        {
            File.Delete(output);
            File.Delete(workbook);
            File.Delete(copy);
        }

        const string Psql = "psql \\copy";
        return new ResultTable(
            "export",
            [
                $"machine: {BenchContext.Machine()}",
                $"{rows} registrations of one session (confirmed, waitlisted, cancelled; 2 % of names with commas and quotes), CSV and XLSX",
                "bot: `Baoming.dll export --session metaverse --format csv|xlsx --output FILE` (a process: host start included); psql: \\copy of ExportReader.RowsSql with the times formatted",
                $"repetitions: {reps}, alternating",
            ],
            [
                new Figure(Psql, "rows/s", psqlRate),
                new Figure("export", "rows/s", botRate) { Baseline = Psql, Target = new Target("≥ 0.5 × psql", (_, r) => r >= 0.5) },
                new Figure("export peak memory (VmHWM)", "MB", memory) { Target = new Target("≤ 150 MB", (m, _) => m <= 150) },
                // XLSX is XML in a zip (deflate), so slower than CSV by nature: measured against the same
                // baseline, with no rate target; its memory must stay flat like CSV's.
                new Figure("export XLSX", "rows/s", xlsxRate) { Baseline = Psql },
                new Figure("export XLSX peak memory (VmHWM)", "MB", xlsxMemory) { Target = new Target("≤ 150 MB", (m, _) => m <= 150) },
            ]);
    }

    private static async Task<(double Seconds, double PeakMegabytes)> ExportAsync(
        BenchContext context, string database, string format, string output, CancellationToken cancellationToken) =>
        await ChildProcess.RunMeasuredAsync(
            context.BotDll, ["export", "--session", "metaverse", "--format", format, "--output", output], BotEnvironment(database), cancellationToken);

    /// <summary>
    /// The database and the one session exported: the bot has no built-in sessions, so <c>migrate</c> (which
    /// stores the configured ones) and <c>export</c> are given it, upcoming whatever today is (the same
    /// day for both, so the export's own sync changes nothing).
    /// </summary>
    private static Dictionary<string, string?> BotEnvironment(string database) => new()
    {
        ["ConnectionStrings__Postgres"] = database,
        ["Sessions__0__Key"] = "metaverse",
        ["Sessions__0__Title"] = "到底什么是\"元宇宙\"",
        ["Sessions__0__StartsAt"] = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(27), TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["Sessions__0__DurationMinutes"] = "90",
        ["Sessions__0__Capacity"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private static async Task<double> CopyAsync(string database, string file, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database);
        var query = ExportReader.RowsSql
            .Replace("/*extra*/", "", StringComparison.Ordinal)
            .Replace("any(@sessionIds)", "any(array(select id from sessions where key = 'metaverse'))", StringComparison.Ordinal)
            .Replace("r.registered_at, r.cancelled_at,", "to_char(r.registered_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), to_char(r.cancelled_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'),", StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
        var start = new ProcessStartInfo(Pgbench.Locate().Replace("pgbench", "psql", StringComparison.Ordinal))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-c", $"\\copy ({query}) to '{file}' csv header" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password;
        var started = Stopwatch.GetTimestamp();
        using var psql = Process.Start(start)!;
        var error = psql.StandardError.ReadToEndAsync(cancellationToken);
        await psql.StandardOutput.ReadToEndAsync(cancellationToken);
        await psql.WaitForExitAsync(cancellationToken);
        if (psql.ExitCode != 0)
        {
            throw new BenchmarkFailedException("psql failed: " + await error);
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task SeedAsync(string database, int rows, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into members (id, username, display_name, language_code, unreachable_at)
            select 1000000000 + g, 'user_' || g, '读者' || g || case when g % 50 = 0 then ', "引号"' else '' end,
                   case when g % 5 = 0 then 'en' else 'zh-hans' end, case when g % 100 = 0 then now() end
              from generate_series(1, @rows) g;
            insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq)
            select s.id, 1000000000 + g, case g % 10 when 0 then 'cancelled' when 1 then 'waitlisted' else 'confirmed' end,
                   timestamptz '2027-01-01 00:00:00+08' + g * interval '1 second',
                   case when g % 10 = 0 then timestamptz '2027-01-15 00:00:00+08' + g * interval '1 second' end,
                   case when g % 10 = 1 then nextval('waitlist_seq') end
              from sessions s, generate_series(1, @rows) g where s.key = 'metaverse' order by g;
            update sessions s
               set confirmed_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'confirmed'),
                   waitlisted_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'waitlisted')
             where s.key = 'metaverse';
            analyze members;
            analyze registrations;
            """;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("rows", rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows of the workbook's one sheet, read as a stream (the header row included).</summary>
    private static long CountSheetRows(string file)
    {
        using var zip = ZipFile.OpenRead(file);
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        using var xml = XmlReader.Create(sheet.Open());
        long rows = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "row")
            {
                rows++;
            }
        }

        return rows;
    }

    /// <summary>CSV records, counting the CRLF that ends each one (quoted fields hold no CRLF here).</summary>
    private static long CountLines(string file)
    {
        using var reader = new StreamReader(file);
        long lines = 0;
        while (reader.ReadLine() is not null)
        {
            lines++;
        }

        return lines;
    }
}
