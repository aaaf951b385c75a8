namespace Baoming.Tests.Reminders;

/// <summary>
/// Tests that wait for real-time reminders run on their own, not beside dozens of other bots on
/// two cores, so a reminder seconds away is not starved into missing its window.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Real-time reminders";
}
