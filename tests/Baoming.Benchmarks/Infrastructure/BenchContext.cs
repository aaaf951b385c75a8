using System.Diagnostics;
using System.Globalization;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>What every scenario shares: the options, where the programs are, and one PostgreSQL cluster.</summary>
internal sealed class BenchContext(BenchArgs args, string repositoryRoot, string configuration) : IAsyncDisposable
{
    private EmbeddedPostgres? cluster;
    private string? clusterFolder;

    public BenchArgs Args { get; } = args;

    /// <summary>The real bot, as <c>dotnet build</c> left it for this configuration.</summary>
    public string BotDll { get; } = args.Value("bot-dll") ?? Path.Combine(repositoryRoot, "src", "Baoming", "bin", configuration, "net10.0", "Baoming.dll");

    public string FloorDll { get; } = Path.Combine(repositoryRoot, "tests", "Baoming.Benchmarks.Floor", "bin", configuration, "net10.0", "Baoming.Benchmarks.Floor.dll");

    public string Configuration { get; } = configuration;

    /// <summary>fsync and synchronous_commit on (PostgreSQL's and Baoming's default) unless <c>--no-fsync</c>.</summary>
    public bool IsDurable => !Args.Has("no-fsync");

    public static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>The benchmark's own PostgreSQL (the embedded default's code), started on first use in a temp folder.</summary>
    public async Task<EmbeddedPostgres> ClusterAsync(CancellationToken ct)
    {
        if (cluster is null)
        {
            clusterFolder = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}");
            Progress($"starting PostgreSQL in {clusterFolder} ({(IsDurable ? "durable" : "fsync off")})");
            cluster = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = clusterFolder, IsDurable = IsDurable },
                NullLogger.Instance,
                ct);
        }

        return cluster;
    }

    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    public static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
            TryDelete(clusterFolder!);
        }
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Progress($"could not remove {folder}: {e.Message}");
        }
    }
}

/// <summary><c>scenario [--quick] [--reps N] [--name value]...</c></summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);

    public string? Scenario { get; private set; }

    public bool IsQuick => Has("quick");

    public int Repetitions => Int("reps", 3, 3);

    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        var parsed = new BenchArgs();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                string? value = null;
                if (name.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && name is not ("quick" or "help" or "no-fsync"))
                {
                    value = args[++i];
                }

                parsed.options[name] = value;
            }
            else if (parsed.Scenario is null)
            {
                parsed.Scenario = args[i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
        }

        return parsed;
    }

    public bool Has(string name) => options.ContainsKey(name);

    public string? Value(string name) => options.GetValueOrDefault(name);

    /// <summary>The option's value, else <paramref name="full"/> (or <paramref name="quick"/> with --quick).</summary>
    public int Int(string name, int full, int quick) =>
        options.TryGetValue(name, out var value) && value is not null
            ? int.Parse(value, CultureInfo.InvariantCulture)
            : IsQuick ? quick : full;

    public double Double(string name, double fallback) =>
        options.TryGetValue(name, out var value) && value is not null ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
