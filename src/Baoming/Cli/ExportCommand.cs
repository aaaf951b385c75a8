using System.CommandLine;
using System.Diagnostics;
using Baoming.Audit;
using Baoming.Cli;
using Baoming.Core.Export;
using Baoming.Export;
using Baoming.Hosting;
using Baoming.Sessions;
using Microsoft.Extensions.Logging.Console;

namespace Baoming.Cli;

/// <summary>
/// <c>export --session KEY|all [--format csv|xlsx] [--output FILE]</c>: the attendee list, streamed
/// from the database to a file or to standard output. Standard output carries the export and
/// nothing else: logs and progress go to standard error.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Exit code for an export that started and failed (a file that cannot be written, a broken pipe).</summary>
    public const int RuntimeError = 1;

    /// <summary>The audit log's actor for the command line, which has no Telegram user.</summary>
    public const long CommandLineActor = 0;

    public static Command Build()
    {
        var session = new Option<string?>("--session")
        {
            Description = "The session's key (see `sessions list`), or `all` for every session.",
        };
        var format = new Option<string?>("--format")
        {
            Description = "csv (UTF-8 with BOM, opens in Excel) or xlsx. Default: xlsx when --output ends in .xlsx, else csv.",
        };
        var output = new Option<string?>("--output")
        {
            Description = "The file to write (replaced only when the export succeeds). Default: standard output.",
        };
        var command = new Command(
            "export",
            "Export attendee lists: one row per registration (columns in README.md, \"Exports\"). Exit codes: 0 done; " +
            "2 bad arguments, unknown session or configuration problem; 1 the export failed (e.g. the file cannot be written).")
        {
            session, format, output,
        };
        command.SetAction((result, ct) => RunAsync(result.GetValue(session), result.GetValue(format), result.GetValue(output), ct));
        return command;
    }

    public static async Task<int> RunAsync(string? sessionKey, string? formatName, string? output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sessionKey))
        {
            await Console.Error.WriteLineAsync("export: --session is required: a session key (see `sessions list`) or `all`.");
            return HostRunner.ConfigurationError;
        }

        formatName ??= output is not null && output.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? "xlsx" : "csv";
        if (!ExportFiles.TryParseFormat(formatName, out var format))
        {
            await Console.Error.WriteLineAsync($"export: unknown --format '{formatName}': use csv or xlsx.");
            return HostRunner.ConfigurationError;
        }

        // The file first: an unwritable path should fail before anything waits for the database. The
        // export goes to FILE.partial and replaces FILE only once complete.
        string? partial = null;
        Stream stream;
        if (output is null)
        {
            stream = Console.OpenStandardOutput();
        }
        else
        {
            try
            {
                partial = Path.GetFullPath(output) + ".partial";
                stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                var reason = e switch
                {
                    DirectoryNotFoundException => "its folder does not exist",
                    UnauthorizedAccessException => "permission denied",
                    _ => e.Message,
                };
                await Console.Error.WriteLineAsync($"export: cannot write {output}: {reason}.");
                return RuntimeError;
            }
        }

        var exitCode = RuntimeError;
        try
        {
            var builder = BaomingHost.CreateBuilder();
            // Standard output may be the export itself.
            BaomingHost.OnlyProblemsOnStandardError(builder);
            exitCode = await HostRunner.RunAsync(builder, _ => { }, (host, ct) => ExportAsync(host, sessionKey, format, stream, output, ct), cancellationToken);
        }
        finally
        {
            await stream.DisposeAsync();
            if (partial is not null)
            {
                if (exitCode == 0)
                {
                    File.Move(partial, Path.GetFullPath(output!), overwrite: true);
                }
                else
                {
                    File.Delete(partial);
                }
            }
        }

        return exitCode;
    }

    private static async Task<int> ExportAsync(IHost host, string sessionKey, ExportFileFormat format, Stream stream, string? output, CancellationToken cancellationToken)
    {
        var sessions = await host.Services.GetRequiredService<SessionRepository>().ListAsync(cancellationToken);
        var chosen = sessionKey == "all" ? sessions : [.. sessions.Where(s => s.Session.Key == sessionKey)];
        if (chosen.Count == 0 && sessionKey != "all")
        {
            var known = string.Join(", ", sessions.Select(s => s.Session.Key));
            await Console.Error.WriteLineAsync($"export: no session has the key '{sessionKey}'. Known keys: {(known.Length == 0 ? "(none)" : known)}; or use --session all.");
            return HostRunner.ConfigurationError;
        }

        var ids = chosen.Select(s => s.Session.Id).ToArray();
        var progress = Console.IsErrorRedirected ? null : new Progress();
        try
        {
            var summary = await host.Services.GetRequiredService<Exporter>().WriteAsync(stream, format, ids, progress is null ? null : progress.Report, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            progress?.Done(summary.Total);
            await host.Services.GetRequiredService<AuditLog>().WriteAsync(CommandLineActor, "export", new
            {
                session_key = sessionKey,
                session_ids = ids,
                format = ExportFiles.Extension(format),
                rows = summary.Total,
                via = "command line",
                os_user = Environment.UserName,
                output = output is null ? "stdout" : Path.GetFullPath(output),
            }, cancellationToken);
            return 0;
        }
        catch (IOException e)
        {
            progress?.Done(null);
            await Console.Error.WriteLineAsync($"export: writing {output ?? "standard output"} failed: {e.Message}");
            return RuntimeError;
        }
    }

    /// <summary>"\r123,000 rows" on a terminal, at most twice a second.</summary>
    private sealed class Progress
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan last;

        public void Report(long rows)
        {
            if (clock.Elapsed - last < TimeSpan.FromMilliseconds(500))
            {
                return;
            }

            last = clock.Elapsed;
            Console.Error.Write(FormattableString.Invariant($"\rexporting… {rows:N0} rows"));
        }

        public void Done(long? rows)
        {
            if (last > TimeSpan.Zero)
            {
                Console.Error.WriteLine(rows is { } n ? FormattableString.Invariant($"\rexported {n:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s") : "");
            }
        }
    }
}
