namespace Baoming.Core.Export;

/// <summary>How many rows of each status an export holds.</summary>
public sealed record ExportSummary(long Confirmed, long Waitlisted, long Cancelled)
{
    public long Total => Confirmed + Waitlisted + Cancelled;
}

/// <summary>A session offered for export, with its live seat counts.</summary>
public sealed record ExportChoice(Session Session, int Confirmed, int Waitlisted);
