namespace Baoming.Platform;

/// <summary>
/// The pause between tries of something that failed: it starts at <c>first</c>, doubles after each
/// wait up to <c>ceiling</c>, and starts over after a success (<see cref="Reset"/>). Every retry loop
/// of the product waits with one of these.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan ceiling)
{
    private readonly TimeSpan start = first;

    /// <summary>How long the next <see cref="WaitAsync"/> waits (for the log line that announces it).</summary>
    public TimeSpan Current { get; private set; } = first;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var pause = Current;
        Current = TimeSpan.FromTicks(Math.Min(Current.Ticks * 2, ceiling.Ticks));
        return Task.Delay(pause, cancellationToken);
    }

    public void Reset() => Current = start;
}
