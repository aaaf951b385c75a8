namespace Baoming.Jobs;

/// <summary>
/// Hangfire stores a job as its type's name ("Baoming.Jobs.FanOutJob, Baoming"): a reminder planted
/// weeks ahead carries the name its type had then. When a job type moves to another namespace, its
/// old name is kept here, so jobs stored before the move still run after it. Names only: the platform
/// never names a feature's types.
/// </summary>
public static class MovedJobTypes
{
    private static readonly Dictionary<string, string> NewNames = new(StringComparer.Ordinal)
    {
        // Moved when each feature took its own folder: the fan-out job belongs to Delivery, and the inbox
        // cleanup became the retention job of every table.
        ["Baoming.Jobs.FanOutJob"] = "Baoming.Delivery.FanOutJob",
        ["Baoming.Inbox.InboxCleanupJob"] = "Baoming.Storage.RetentionJob",
    };

    /// <summary>Hangfire's type resolver: an old name is read as the new one, anything else as Hangfire would.</summary>
    public static Type Resolve(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var comma = typeName.IndexOf(',', StringComparison.Ordinal);
        var name = comma < 0 ? typeName : typeName[..comma];
        return Hangfire.Common.TypeHelper.DefaultTypeResolver(
            NewNames.TryGetValue(name, out var moved) ? moved + typeName[name.Length..] : typeName);
    }
}
