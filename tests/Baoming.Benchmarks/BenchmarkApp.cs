using System.Reflection;
using System.Text;
using Baoming.Benchmarks.Infrastructure;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Baoming.Benchmarks -- &lt;scenario&gt; [--quick] [--reps N] [options]</c>.
/// Each scenario is one <see cref="IScenario"/> class listed in <see cref="Scenarios"/>; it measures every figure
/// and its baseline in the same run, on the same cluster, and returns a table.
/// </summary>
internal static class BenchmarkApp
{
    /// <summary>Every scenario; a new one is one more entry here.</summary>
    private static readonly IScenario[] Scenarios = [new SignupScenario(), new StartupScenario(), new RemindersScenario(), new BroadcastScenario(), new ExportScenario(), new ScaleoutScenario(), new ChaosScenario(), new DbRestartScenario(), new JoinRushScenario(), new StaticRedirectScenario(), new StatsScenario()];

    public static async Task<int> RunAsync(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        BenchArgs parsed;
        try
        {
            parsed = BenchArgs.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var selected = parsed.Scenario is null ? null : Array.Find(Scenarios, s => s.Name == parsed.Scenario);
        if (parsed.Has("help") || selected is null)
        {
            await Console.Out.WriteAsync(Help(selected));
            return parsed.Has("help") ? 0 : 2;
        }

        var configuration = typeof(BenchmarkApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        if (configuration != "Release")
        {
            await Console.Error.WriteLineAsync($"Warning: built in {configuration}; figures are only meaningful with -c Release.");
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await using var context = new BenchContext(parsed, FindRepositoryRoot(), configuration);
        foreach (var dll in new[] { context.BotDll, context.FloorDll })
        {
            if (!File.Exists(dll))
            {
                await Console.Error.WriteLineAsync($"{dll} is missing; build with `dotnet build -c {configuration}` first (dotnet run does).");
                return 2;
            }
        }

        try
        {
            var table = await selected.RunAsync(context, stop.Token);
            await Console.Out.WriteLineAsync(table.Render());
            return 0;
        }
        catch (BenchmarkFailedWithResultsException e)
        {
            if (e.Table is not null)
            {
                await Console.Out.WriteLineAsync(e.Table.Render());
            }

            await Console.Error.WriteLineAsync($"BENCHMARK FAILED: {e.Message}");
            return 1;
        }
        catch (BenchmarkFailedException e)
        {
            await Console.Error.WriteLineAsync($"BENCHMARK FAILED: {e.Message}");
            return 1;
        }
    }

    private static string Help(IScenario? only)
    {
        var text = new StringBuilder("""
            Usage: dotnet run -c Release --project tests/Baoming.Benchmarks -- <scenario> [options]

            Every figure is measured --reps times (default 3, at least 3 for docs/performance.md) and shown as median and range,
            with its ratio to a baseline measured in the same run on the same PostgreSQL cluster.

            Common options:
              --quick        a short run (fewer members, shorter phases): for checking, not for docs/performance.md
              --reps N       repetitions per figure
              --no-fsync     run the benchmark's PostgreSQL with fsync and synchronous_commit off (default: durable)
              --bot-dll P    another build of the bot (e.g. a published one) instead of src/Baoming/bin/<config>/net10.0
              --help         this text


            """);
        foreach (var scenario in only is null ? Scenarios : [only])
        {
            text.Append("Scenario ").Append(scenario.Name).Append(": ").Append(scenario.Summary).Append('\n');
            foreach (var (option, meaning) in scenario.Options)
            {
                text.Append("  ").Append(option.PadRight(22)).Append(' ').Append(meaning).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Baoming.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from the repository (Baoming.slnx not found above the binary).");
    }
}
