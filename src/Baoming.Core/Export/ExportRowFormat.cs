namespace Baoming.Core.Export;

/// <summary>Turns a registration into the cells of <see cref="ExportColumns"/>, the same for CSV and XLSX.</summary>
public static class ExportRowFormat
{
    /// <summary>Fills <paramref name="cells"/> (standard columns, then extras); it must hold at least that many.</summary>
    public static void Fill(ExportRow row, TimeZoneInfo zone, Span<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(zone);
        cells[0] = ExportCell.FromText(row.SessionKey);
        cells[1] = ExportCell.FromText(row.SessionTitle);
        cells[2] = ExportCell.FromText(ExportColumns.StatusName(row.Status));
        cells[3] = ExportCell.FromNumber(row.WaitlistPosition);
        cells[4] = ExportCell.FromText(ExportColumns.FormatTime(row.RegisteredAt, zone));
        cells[5] = row.CancelledAt is { } cancelled ? ExportCell.FromText(ExportColumns.FormatTime(cancelled, zone)) : ExportCell.Empty;
        cells[6] = ExportCell.FromNumber(row.TelegramUserId);
        cells[7] = ExportCell.FromText(row.Username);
        cells[8] = ExportCell.FromText(row.DisplayName);
        cells[9] = ExportCell.FromText(row.LanguageCode);
        cells[10] = ExportCell.FromText(row.IsReachable ? "true" : "false");
        for (var i = 0; i < row.Extra.Count; i++)
        {
            cells[ExportColumns.Standard.Count + i] = ExportCell.FromText(row.Extra[i]);
        }
    }

    public static ExportCell[] Format(ExportRow row, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(row);
        var cells = new ExportCell[ExportColumns.Standard.Count + row.Extra.Count];
        Fill(row, zone, cells);
        return cells;
    }
}
