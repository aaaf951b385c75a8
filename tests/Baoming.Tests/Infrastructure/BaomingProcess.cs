using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baoming.Shell;

namespace Baoming.Tests.Infrastructure;

/// <summary>What a finished Baoming process printed.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs the real Baoming binary (built beside the tests) as a separate process.</summary>
public static class BaomingProcess
{
    /// <summary>
    /// The sample's two sessions (<c>auto</c>, <c>metaverse</c>) as environment variables, moved so they are
    /// upcoming whatever today is: the tests must not start failing once February 2027 has passed. All of
    /// each session, since the environment's <c>Sessions</c> replace, not patch, those of lower sources.
    /// </summary>
    public static Dictionary<string, string?> UpcomingSessions()
    {
        var soon = DateTimeOffset.UtcNow.AddDays(20);
        var sessions = ExampleSessions.Load(DateTimeOffset.UtcNow);
        sessions["Sessions:0:StartsAt"] = soon.ToString("O", CultureInfo.InvariantCulture);
        sessions["Sessions:1:StartsAt"] = soon.AddDays(7).ToString("O", CultureInfo.InvariantCulture);
        return sessions.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
    }

    /// <summary>Starts Baoming and leaves it running, for tests that kill it; its output collects in <paramref name="log"/>.</summary>
    public static Process Start(string arguments, IReadOnlyDictionary<string, string?> environment, StringBuilder log)
    {
        var start = StartInfo(arguments, environment);
        start.RedirectStandardInput = false;
        start.StandardInputEncoding = null;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Sends SIGTERM, as docker stop and systemctl stop do (Process.Kill sends SIGKILL).</summary>
    public static void Terminate(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
    }

    private static void Append(StringBuilder log, string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    /// <summary>
    /// Runs Baoming with <paramref name="input"/> on standard input, which is closed at once or, for a
    /// process that must stay up a while (a shell waiting out a reminder's time), after <paramref name="inputOpenFor"/>.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string arguments, string input, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null, TimeSpan? inputOpenFor = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        await process.StandardInput.FlushAsync();
        if (inputOpenFor is { } open && open > TimeSpan.Zero)
        {
            await Task.Delay(open);
        }

        process.StandardInput.Close();

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Baoming {arguments} did not exit.\nstdout:\n{await output}\nstderr:\n{await error}");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo StartInfo(string arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Baoming.dll"));
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test says: nothing from this machine's own Baoming settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Telegram__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
