namespace Baoming.Core.Export;

/// <summary>
/// Keeps text out of the formula engine. A cell whose text starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, tab or carriage return may be run as a formula when the file is opened (a display name
/// like <c>=HYPERLINK("http://evil","click")</c>), so such text gets a leading apostrophe, as OWASP's
/// CSV injection guidance recommends: https://owasp.org/www-community/attacks/CSV_Injection
/// Only CSV needs it: an XLSX string cell is never a formula (see <see cref="ExportCell"/>).
/// The full-width forms (＝＋－＠, typed on a Chinese keyboard) count too, because some spreadsheet
/// apps normalise them on import, and so does a formula character behind leading blanks, because
/// spreadsheets trim those before they look for a formula.
/// </summary>
public static class FormulaGuard
{
    public static bool IsRisky(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (text[0] is '\t' or '\r' || IsFormulaStart(text[0]))
        {
            return true;
        }

        var rest = text.AsSpan().TrimStart(" \t\r\u3000\u00a0");
        return rest.Length > 0 && rest.Length < text.Length && IsFormulaStart(rest[0]);
    }

    public static string Neutralise(string text) => IsRisky(text) ? "'" + text : text;

    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '＝' or '＋' or '－' or '＠';
}
