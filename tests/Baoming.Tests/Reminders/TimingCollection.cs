namespace Baoming.Tests.Reminders;

/// <summary>
/// Tests that wait for real-time reminders, or count a broadcast's sends per second, run on their own,
/// not beside dozens of other bots on two cores: a reminder seconds away is not starved into missing its
/// window, and the fake Bot API (in the same process) does not stamp sends late and in bunches when
/// other tests starve its threads, which made one second look over the limit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Real-time reminders";
}
