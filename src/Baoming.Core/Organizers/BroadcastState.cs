namespace Baoming.Core.Organizers;

/// <summary>A broadcast's state: draft → scheduled → sending → done, or cancelled from any of the first three.</summary>
public enum BroadcastState
{
    /// <summary>Written and previewed; nothing happens until the organizer sends, schedules or drops it.</summary>
    Draft,

    /// <summary>Released for a later time: its Hangfire job waits for its scheduled time.</summary>
    Scheduled,

    /// <summary>Released and running (or about to run) through the ledger.</summary>
    Sending,

    Done,

    /// <summary>Dropped as a draft, cancelled while scheduled, or stopped while sending.</summary>
    Cancelled,
}
