using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Baoming.Benchmarks.Scenarios;
using Npgsql;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>Runs pgbench with a custom script against the benchmark's cluster and returns transactions per second.</summary>
internal static partial class Pgbench
{
    public static string Locate() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Order().Reverse().Select(d => Path.Combine(d, "bin", "pgbench")) : Enumerable.Empty<string>())
            .Concat((System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "pgbench")))
            .FirstOrDefault(File.Exists)
        ?? throw new BenchmarkFailedException("pgbench not found (install the postgresql-contrib or postgresql server package).");

    public static async Task<double> RunAsync(string connectionString, string script, int clients, int seconds, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"baoming-bench-{System.Environment.ProcessId}.pgbench.sql");
        await File.WriteAllTextAsync(file, script, ct);
        try
        {
            var db = new NpgsqlConnectionStringBuilder(connectionString);
            var start = new ProcessStartInfo(Locate())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "-n", "-M", "simple", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", file,
                "-h", db.Host!, "-p", db.Port.ToString(CultureInfo.InvariantCulture), "-U", db.Username!, db.Database!,
            })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["PGPASSWORD"] = db.Password;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var text = await output + await error;
            if (process.ExitCode != 0 || Tps().Match(text) is not { Success: true } match)
            {
                throw new BenchmarkFailedException($"pgbench failed (exit {process.ExitCode}):\n{text}\nscript:\n{script}");
            }

            if (FailedTransactions().Match(text) is { Success: true } failed && failed.Groups[1].Value != "0")
            {
                throw new BenchmarkFailedException($"pgbench had {failed.Groups[1].Value} failed transactions:\n{text}");
            }

            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex FailedTransactions();
}
