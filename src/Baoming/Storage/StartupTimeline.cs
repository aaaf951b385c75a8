using System.Diagnostics;

namespace Baoming.Storage;

/// <summary>
/// The steps of start-up, each with its own duration and the moment it ended, counted from the start of the
/// process (not of <c>Main</c>: the runtime's own start counts too). Logged at Debug, one line per step, and once
/// at Information when the bot is ready; the <c>startup</c> benchmark reads the lines (it sets
/// <c>Logging:LogLevel:Baoming.Storage.StartupTimeline=Debug</c>). Steps before the host exists (configuration,
/// the embedded cluster, building the host) are kept and logged once a logger is attached.
/// </summary>
public sealed partial class StartupTimeline
{
    private readonly Lock gate = new();
    private readonly List<(string Step, double Milliseconds, double SinceStart)> pending = [];
    private readonly long createdAt = Stopwatch.GetTimestamp();
    private readonly double createdSinceStart;
    private ILogger? logger;
    private int firstPoll;

    private StartupTimeline(double createdSinceStart) => this.createdSinceStart = createdSinceStart;

    /// <summary>A timeline anchored at the start of this process.</summary>
    public static StartupTimeline OfThisProcess()
    {
        double sinceStart;
        try
        {
            using var process = Process.GetCurrentProcess();
            sinceStart = Math.Max(0, (DateTime.Now - process.StartTime).TotalMilliseconds);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            // No start time to be had: count from here instead.
            sinceStart = 0;
        }

        return new StartupTimeline(sinceStart);
    }

    /// <summary>Milliseconds since the process started.</summary>
    public double SinceStart => createdSinceStart + Stopwatch.GetElapsedTime(createdAt).TotalMilliseconds;

    /// <summary>A timestamp to pass to <see cref="Step"/> when the step ends.</summary>
    public static long Begin() => Stopwatch.GetTimestamp();

    /// <summary>Records a step that began at <paramref name="begunAt"/> (<see cref="Begin"/>) and has just ended.</summary>
    public void Step(string step, long begunAt)
    {
        Record(step, Stopwatch.GetElapsedTime(begunAt).TotalMilliseconds, SinceStart);
    }

    private void Record(string step, double milliseconds, double sinceStart)
    {
        ILogger? to;
        lock (gate)
        {
            to = logger;
            if (to is null)
            {
                pending.Add((step, milliseconds, sinceStart));
                return;
            }
        }

        LogStep(to, step, milliseconds, sinceStart);
    }

    /// <summary>Records a step that began with the process (the runtime's start, <c>Main</c>, the configuration).</summary>
    public void StepFromProcessStart(string step)
    {
        var sinceStart = SinceStart;
        Record(step, sinceStart, sinceStart);
    }

    /// <summary>The first getUpdates is on its way: recorded once, however often the poller starts.</summary>
    public void FirstPoll(long begunAt)
    {
        if (Interlocked.Exchange(ref firstPoll, 1) == 0)
        {
            Step("first-getUpdates", begunAt);
        }
    }

    /// <summary>The engine handles updates from now on: the one line an operator sees at Information.</summary>
    public void Ready(long begunAt)
    {
        Step("ready", begunAt);
        if (logger is { } to)
        {
            LogReady(to, SinceStart);
        }
    }

    /// <summary>From now on steps are logged as they end; those recorded before are logged now.</summary>
    public StartupTimeline Attach(ILoggerFactory loggers)
    {
        var to = loggers.CreateLogger<StartupTimeline>();
        List<(string Step, double Milliseconds, double SinceStart)> earlier;
        lock (gate)
        {
            if (logger is not null)
            {
                return this;
            }

            logger = to;
            earlier = [.. pending];
            pending.Clear();
        }

        foreach (var (step, milliseconds, sinceStart) in earlier)
        {
            LogStep(to, step, milliseconds, sinceStart);
        }

        return this;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Start-up step {Step}: {Milliseconds:0} ms, ended {SinceStart:0} ms after the process started")]
    private static partial void LogStep(ILogger logger, string step, double milliseconds, double sinceStart);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Ready: handling updates {SinceStart:0} ms after the process started")]
    private static partial void LogReady(ILogger logger, double sinceStart);
}
