namespace Baoming.Core.Export;

/// <summary>One registration as the export reads it from the database, before formatting.</summary>
public sealed record ExportRow
{
    public required string SessionKey { get; init; }
    public required string SessionTitle { get; init; }
    public required RegistrationStatus Status { get; init; }

    /// <summary>1-based place on the waitlist; null unless waitlisted.</summary>
    public long? WaitlistPosition { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public required long TelegramUserId { get; init; }
    public string? Username { get; init; }
    public required string DisplayName { get; init; }
    public string? LanguageCode { get; init; }
    public required bool IsReachable { get; init; }

    /// <summary>Values of the extra columns, in the order of their names in the header.</summary>
    public IReadOnlyList<string?> Extra { get; init; } = [];
}

/// <summary>
/// A formatted cell: either text or a number we wrote ourselves. Numbers stay numbers in XLSX and are
/// never prefixed. Text is kept as it is: CSV writes it through <see cref="FormulaGuard"/> (a CSV cell
/// has no type, so the spreadsheet decides), XLSX as a string cell, which is never run as a formula.
/// </summary>
public readonly record struct ExportCell(string? PlainText, long? Number)
{
    public static ExportCell Empty => default;

    public bool IsEmpty => PlainText is null && Number is null;

    /// <summary>The text as CSV writes it: neutralised against formulas.</summary>
    public string? Text => PlainText is null ? null : FormulaGuard.Neutralise(PlainText);

    /// <summary>Text from anywhere (a member's name, a title).</summary>
    public static ExportCell FromText(string? text) => new(text, null);

    public static ExportCell FromNumber(long? number) => new(null, number);

    /// <summary>The cell as an XLSX value: a long, a string (written as a string cell, no apostrophe), or null.</summary>
    public object? Value => Number is { } n ? n : PlainText;
}
