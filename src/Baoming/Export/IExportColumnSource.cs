namespace Baoming.Export;

/// <summary>
/// A column appended to the standard export columns: its header name and a SQL expression evaluated
/// per registration row. The expression may use the aliases <c>r</c> (registrations), <c>s</c>
/// (sessions) and <c>m</c> (members); its value is written as text (neutralised like any text).
/// </summary>
public sealed record ExportExtraColumn(string Name, string SqlExpression);

/// <summary>
/// Where features add export columns without touching the export. Today none is registered; the
/// per-recipient delivery ledger (reminders, broadcasts) is meant to register one that returns a
/// column per reminder slot and per broadcast of the exported sessions, e.g.
/// <c>new("reminder_1d", "(select d.state from deliveries d where d.kind = 'reminder' and … and d.member_id = r.member_id)")</c>.
/// Extra columns always come after the standard ones, so the documented positions never move.
/// </summary>
public interface IExportColumnSource
{
    /// <summary>Columns for an export of <paramref name="sessionIds"/>, in order.</summary>
    Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken);
}
