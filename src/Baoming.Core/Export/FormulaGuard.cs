namespace Baoming.Core.Export;

/// <summary>
/// Keeps text out of the formula engine. A cell whose text starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, tab or carriage return may be run as a formula when the file is opened (a display name
/// like <c>=HYPERLINK("http://evil","click")</c>), so such text gets a leading apostrophe, as OWASP's
/// CSV injection guidance recommends: https://owasp.org/www-community/attacks/CSV_Injection
/// </summary>
public static class FormulaGuard
{
    public static bool IsRisky(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Neutralise(string text) => IsRisky(text) ? "'" + text : text;
}
