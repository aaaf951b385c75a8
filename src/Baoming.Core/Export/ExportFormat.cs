using System.Globalization;

namespace Baoming.Core.Export;

public enum ExportFileFormat
{
    Csv,
    Xlsx,
}

/// <summary>File formats by name, and file names. The export buttons' data is <see cref="Understanding.CallbackData.Export"/>.</summary>
public static class ExportFiles
{
    public static bool TryParseFormat(string? name, out ExportFileFormat format)
    {
        switch (name?.ToLowerInvariant())
        {
            case "csv":
                format = ExportFileFormat.Csv;
                return true;
            case "xlsx":
                format = ExportFileFormat.Xlsx;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Extension(ExportFileFormat format) => format == ExportFileFormat.Xlsx ? "xlsx" : "csv";

    /// <summary>"metaverse-2027-02-17.csv": the session's key and its date in the community's zone.</summary>
    public static string FileName(Session session, TimeZoneInfo zone, ExportFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(session);
        var day = TimeZoneInfo.ConvertTime(session.StartsAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"{session.Key}-{day}.{Extension(format)}";
    }
}
