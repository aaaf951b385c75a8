using System.CommandLine;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Stats;
using Baoming.Hosting;
using Baoming.Stats;

namespace Baoming.Cli;

/// <summary>
/// <c>stats --session KEY | --series KEY --output FILE.png|FILE.csv</c>: the chart <c>/stats</c> sends (PNG), or the
/// numbers behind it and the summary (CSV), written to the file; the summary lines and logs go to standard error,
/// standard output stays empty. Exit codes as <c>export</c>: 0 done; 2 bad arguments, unknown key or configuration
/// problem; 1 the file could not be written or no CJK font is installed for a PNG.
/// </summary>
internal static class StatsCommand
{
    public static Command Build()
    {
        var session = new Option<string?>("--session") { Description = "The session's key (see `sessions list`)." };
        var series = new Option<string?>("--series") { Description = "The series' key: one bar group per session of the series, in time order." };
        var output = new Option<string>("--output")
        {
            Description = "The file to write: .png for the chart, .csv for its numbers and the summary (UTF-8 with BOM).",
            Required = true,
        };
        var command = new Command(
            "stats",
            "A session's sign-ups over time (reminders, broadcasts and the start marked), or a series' trend, as /stats draws it. " +
            "Exit codes: 0 done; 2 bad arguments or unknown key; 1 the file cannot be written or no CJK font is installed.")
        {
            session, series, output,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(session) is null) == (result.GetResult(series) is null))
            {
                result.AddError("stats: give exactly one of --session KEY or --series KEY.");
            }
            else if (string.IsNullOrWhiteSpace(result.GetValue(session) ?? result.GetValue(series)))
            {
                result.AddError("stats: the key after --session or --series is empty.");
            }

            if (result.GetValue(output) is { } file && FormatOf(file) is null)
            {
                result.AddError($"stats: --output must end in .png or .csv, not '{Path.GetFileName(file)}'.");
            }
        });
        command.SetAction((result, ct) => RunAsync(result.GetValue(session), result.GetValue(series), result.GetValue(output)!, ct));
        return command;
    }

    private static string? FormatOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".png" => "png",
        ".csv" => "csv",
        _ => null,
    };

    private static async Task<int> RunAsync(string? sessionKey, string? seriesKey, string output, CancellationToken cancellationToken)
    {
        var isCsv = FormatOf(output) == "csv";
        var path = Path.GetFullPath(output);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            await Console.Error.WriteLineAsync($"stats: cannot write {output}: its folder does not exist.");
            return ExportCommand.RuntimeError;
        }

        var builder = BaomingHost.CreateBuilder();
        // Logs on standard error, and only problems: a script reads the file, a person the summary.
        BaomingHost.OnlyProblemsOnStandardError(builder);
        return await HostRunner.RunAsync(builder, b => b.Services.AddStats(), async (host, ct) =>
        {
            var report = host.Services.GetRequiredService<StatsReport>();
            var texts = new Texts(Language.Chinese, report.Zone);
            var key = sessionKey ?? seriesKey!;
            var target = await report.ResolveAsync(key, isSeries: seriesKey is not null, ct);
            if (sessionKey is not null && target is StatsTarget.OfSeries)
            {
                // --session means a session: a series with that key is not what was asked for.
                target = new StatsTarget.Unknown(key);
            }

            byte[]? content;
            Reply summary;
            switch (target)
            {
                case StatsTarget.OfSession(var session, _, _):
                    {
                        var stats = await report.SessionAsync(session, ct);
                        content = isCsv ? StatsCsv.Write(stats, report.Zone) : await report.TryDrawAsync(stats, texts, ct);
                        summary = texts.StatsSessionSummary(stats, isChartMissing: content is null);
                        break;
                    }

                case StatsTarget.OfSeries(var series):
                    {
                        var stats = await report.SeriesAsync(series, ct);
                        content = isCsv ? StatsCsv.Write(stats, report.Zone) : await report.TryDrawAsync(stats, texts, ct);
                        summary = texts.StatsSeriesSummary(stats, isChartMissing: content is null);
                        break;
                    }

                default:
                    await Console.Error.WriteLineAsync(sessionKey is not null
                        ? $"stats: no session has the key '{key}' (see `sessions list`)."
                        : $"stats: no series has the key '{key}'.");
                    return HostRunner.ConfigurationError;
            }

            if (content is null)
            {
                await Console.Error.WriteLineAsync("stats: " + StatsFonts.MissingMessage);
                return ExportCommand.RuntimeError;
            }

            try
            {
                // Written beside the target and moved over it: a reader never sees half a PNG.
                var partial = path + ".partial";
                await File.WriteAllBytesAsync(partial, content, ct);
                File.Move(partial, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"stats: cannot write {output}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}.");
                return ExportCommand.RuntimeError;
            }

            await Console.Error.WriteLineAsync(summary.Text);
            return 0;
        }, cancellationToken);
    }
}
