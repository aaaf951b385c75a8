using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// A .NET program run as its own process (the bot, or the start-up floor), so its memory and start-up
/// are its own. Output is drained into a short tail that failures print; lines the caller asked to
/// watch (e.g. the listening address, fan-out starts) are kept for the whole run.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process process;
    private readonly Queue<string> tail = new();
    private readonly List<string> watched = [];
    private readonly IReadOnlyList<string> watch;
    private readonly Lock gate = new();

    private ChildProcess(Process process, long startedAt, IReadOnlyList<string> watch)
    {
        this.process = process;
        StartedAt = startedAt;
        this.watch = watch;
    }

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <param name="watch">Output lines containing any of these are kept in <see cref="Watched"/>.</param>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? watch = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the benchmark says: none of this machine's own Baoming settings.
        foreach (var key in start.Environment.Keys.Where(IsBaomingSetting).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {dll}.");
        var child = new ChildProcess(process, startedAt, watch ?? []);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Peak resident memory so far (VmHWM in /proc/PID/status), in MB.</summary>
    public double PeakMemoryMegabytes() => StatusKilobytes("VmHWM") / 1024.0;

    /// <summary>User + system CPU time used so far (/proc/PID/stat), in milliseconds.</summary>
    public double CpuMilliseconds()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "(comm)": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    /// <summary>
    /// Runs a verb that ends by itself (<c>export</c>, <c>stats</c>) to its end, sampling its peak memory every 20 ms
    /// while it runs; the benchmark fails unless it exits 0 within five minutes. Seconds from start to exit, and MB.
    /// </summary>
    public static async Task<(double Seconds, double PeakMegabytes)> RunMeasuredAsync(
        string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var child = Start(dll, arguments, environment);
        var peak = 0.0;
        while (!child.HasExited)
        {
            try
            {
                peak = Math.Max(peak, child.PeakMemoryMegabytes());
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Exited between the check and the read: gone (IOException), or a zombie not yet reaped,
                // whose status has no VmHWM line (InvalidOperationException).
            }

            await Task.Delay(20, ct);
        }

        if (!await child.WaitForExitAsync(TimeSpan.FromMinutes(5), ct) || child.ExitCode != 0)
        {
            throw new BenchmarkFailedException($"{string.Join(' ', arguments)} failed: " + child.Tail());
        }

        return (Stopwatch.GetElapsedTime(started).TotalSeconds, peak);
    }

    /// <summary>Waits for a program that ends by itself (e.g. <c>migrate</c>); false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public int ExitCode => process.ExitCode;

    public string Tail()
    {
        lock (gate) return string.Join('\n', tail);
    }

    /// <summary>Every output line so far that contains one of the watched strings, in order.</summary>
    public IReadOnlyList<string> Watched
    {
        get { lock (gate) return [.. watched]; }
    }

    /// <summary>The first watched line containing <paramref name="text"/>; fails if the process exits or <paramref name="timeout"/> passes first.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Watched.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (HasExited || waited.Elapsed > timeout)
            {
                throw new BenchmarkFailedException($"No \"{text}\" from process {Id} within {timeout.TotalSeconds:0} s (exited: {HasExited}):\n{Tail()}");
            }

            await Task.Delay(10, ct);
        }
    }

    /// <summary>SIGTERM (a graceful stop, as systemd does), then SIGKILL if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        process.Dispose();
    }

    private static bool IsBaomingSetting(string key) =>
        key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || key.StartsWith("Telegram__", StringComparison.Ordinal)
        || key.StartsWith("Sessions__", StringComparison.Ordinal) || key.StartsWith("EmbeddedPostgres__", StringComparison.Ordinal)
        || key.StartsWith("Http__", StringComparison.Ordinal) || key is "BAOMING_CONFIG" or "BAOMING_SECRETS_DIR" or "CREDENTIALS_DIRECTORY"
        || key is "ASPNETCORE_URLS" or "DOTNET_URLS" or "ASPNETCORE_HTTP_PORTS" or "ASPNETCORE_HTTPS_PORTS";

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{process.Id}/status.");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            tail.Enqueue($"{Stopwatch.GetElapsedTime(StartedAt).TotalMilliseconds,7:0} ms  {line}");
            if (watch.Any(w => line.Contains(w, StringComparison.Ordinal)))
            {
                watched.Add(line);
            }

            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }
}
