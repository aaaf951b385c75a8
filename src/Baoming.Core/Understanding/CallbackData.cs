using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Baoming.Core.Export;
using Baoming.Core.Organizers;

namespace Baoming.Core.Understanding;

/// <summary>What an inline button asks for once its data has been checked.</summary>
public abstract record ButtonAction
{
    // Private: the four cases below are the whole set, as with Intent.
    private ButtonAction(long sessionId) => SessionId = sessionId;

    public long SessionId { get; }

    /// <summary>Sign up; <see cref="Source"/> is where the member came from (a deep link's source), when the button carries one.</summary>
    public sealed record SignUp(long SessionId, string? Source = null) : ButtonAction(SessionId);

    public sealed record Cancel(long SessionId) : ButtonAction(SessionId);

    /// <summary>"Add to calendar": send the .ics file.</summary>
    public sealed record Calendar(long SessionId) : ButtonAction(SessionId);

    /// <summary>"I'll be there", the answer to a reminder.</summary>
    public sealed record Attend(long SessionId) : ButtonAction(SessionId);
}

/// <summary>
/// The one codec of inline-button payloads, "prefix:payload": every prefix is named in
/// <see cref="Prefixes"/>, and every button's data is built and parsed here, the readers' buttons
/// ("su:42") at the top, the organizers' and admins' in <see cref="Sessions"/>, <see cref="Broadcasts"/>,
/// <see cref="Export"/> and <see cref="Notes"/>. Telegram allows 1–64 bytes and sends back whatever the client claims,
/// so parsing accepts only the exact form written here and nothing else.
/// </summary>
public static partial class CallbackData
{
    /// <summary>Telegram's limit on callback_data, in bytes.</summary>
    public const int MaxBytes = 64;

    private const char Separator = ':';

    /// <summary>
    /// Every prefix, in one place: the conversation hands a press to the feature that owns its prefix,
    /// so two features must never take the same one. Buttons already sent in chats carry these, so
    /// none may ever change.
    /// </summary>
    public static class Prefixes
    {
        // The readers' buttons, parsed whole by the readers' conversation (TryParse, TryParseSessionPage).
        public const string SignUp = "su";
        public const string Cancel = "cx";
        public const string Calendar = "ic";
        public const string Attend = "ok";
        public const string SessionPage = "sp";

        // The organizers' and admins' buttons: a feature's button handler gets the payload after "prefix:".
        public const string CancelSession = "cs";
        public const string Audience = "ba";
        public const string Send = "bs";
        public const string Stop = "bc";
        public const string NotReached = "bn";
        public const string ExportSession = "ex";
        public const string ExportFormat = "ef";
        public const string NoteAnswer = "na";

        // Issue 17's buttons; each feature builds and parses its own in a CallbackData.<Feature>.cs partial.
        public const string Question = "qa";
        public const string Joined = "in";
        public const string Feedback = "fb";

        // Issue 18's buttons: follow a series ("以后的场次也通知我") and stop following it.
        public const string Follow = "sf";
        public const string Unfollow = "sx";

        public static IReadOnlyList<string> All { get; } =
        [
            SignUp, Cancel, Calendar, Attend, SessionPage,
            CancelSession, Audience, Send, Stop, NotReached, ExportSession, ExportFormat, NoteAnswer,
            Question, Joined, Feedback,
            Follow, Unfollow,
        ];
    }

    // The readers' prefixes with their separator, as constants for the switch in TryParse.
    private const string SignUpData = Prefixes.SignUp + ":";
    private const string CancelData = Prefixes.Cancel + ":";
    private const string CalendarData = Prefixes.Calendar + ":";
    private const string AttendData = Prefixes.Attend + ":";
    private const string SessionPageData = Prefixes.SessionPage + ":";

    public static string SignUp(long sessionId) => Build(Prefixes.SignUp, sessionId);

    /// <summary>"su:42:wx36kr": the sign-up button of a deep link with a source; without it when the source would not fit 64 bytes.</summary>
    public static string SignUp(long sessionId, string? source)
    {
        var data = SignUp(sessionId);
        return source is not null && DeepLinks.IsValidSource(source) && data.Length + 1 + source.Length <= MaxBytes
            ? data + Separator + source
            : data;
    }

    public static string Cancel(long sessionId) => Build(Prefixes.Cancel, sessionId);

    public static string Calendar(long sessionId) => Build(Prefixes.Calendar, sessionId);

    public static string Attend(long sessionId) => Build(Prefixes.Attend, sessionId);

    /// <summary>"More sessions": page <paramref name="page"/> (0 is the first) of the 报名 list.</summary>
    public static string SessionPage(int page) => Build(Prefixes.SessionPage, page);

    /// <summary>A page of the 报名 list; any number parses (the list clamps it), only the exact form written here.</summary>
    public static bool TryParseSessionPage(string? data, out int page)
    {
        page = 0;
        return data is not null
            && data.StartsWith(SessionPageData, StringComparison.Ordinal)
            && data.Length <= MaxBytes
            && TryParseId(data.AsSpan(SessionPageData.Length), out var id)
            && id <= int.MaxValue
            && (page = (int)id) > 0;
    }

    public static bool TryParse(string? data, [NotNullWhen(true)] out ButtonAction? action)
    {
        action = null;

        // Every valid payload is ASCII, so characters are bytes and the length check is the byte check.
        if (data is null || data.Length is < 4 or > MaxBytes)
        {
            return false;
        }

        // A sign-up button may carry the deep link's source after its id: "su:42:wx36kr".
        var source = data.StartsWith(SignUpData, StringComparison.Ordinal) && data.IndexOf(Separator, 3) is > 3 and var colon ? data[(colon + 1)..] : null;
        if (source is not null && !DeepLinks.IsValidSource(source))
        {
            return false;
        }

        if (!TryParseId(data.AsSpan(3, data.Length - 3 - (source is null ? 0 : source.Length + 1)), out var id))
        {
            return false;
        }

        action = data[..3] switch
        {
            SignUpData => new ButtonAction.SignUp(id, source),
            CancelData => new ButtonAction.Cancel(id),
            CalendarData => new ButtonAction.Calendar(id),
            AttendData => new ButtonAction.Attend(id),
            _ => null,
        };
        return action is not null;
    }

    /// <summary>"cs:42" confirms cancelling session 42; "cs:no" keeps it.</summary>
    public static class Sessions
    {
        private const string KeepPayload = "no";

        public static string ConfirmCancel(long sessionId) => Build(Prefixes.CancelSession, sessionId);

        public static string Keep() => Prefixes.CancelSession + Separator + KeepPayload;

        /// <summary>The payload after "cs:" is the "keep it" answer.</summary>
        public static bool IsKeep(string? payload) => payload == KeepPayload;

        /// <summary>The payload after "cs:": the session to cancel.</summary>
        public static bool TryParseCancel(string? payload, out long sessionId) => TryParseId(payload, out sessionId);
    }

    /// <summary>
    /// "ba:c" (then a session), "ba:c:42", "ba:w:42", "ba:a:42" (attended), "ba:n:42" (no-shows), "ba:u", "ba:e"
    /// choose the audience; "bs:7:now", "bs:7:at", "bs:7:x" send, schedule or drop draft 7; "bc:7" stops it;
    /// "bn:7" lists who it did not reach.
    /// </summary>
    public static class Broadcasts
    {
        public const string SendNow = "now";
        public const string SendLater = "at";
        public const string Discard = "x";

        public static string ChooseAudience(Audience audience, long? sessionId = null) =>
            sessionId is { } id
                ? Build(Prefixes.Audience, Code(audience)) + Separator + Id(id)
                : Build(Prefixes.Audience, Code(audience));

        /// <summary><paramref name="how"/> is <see cref="SendNow"/>, <see cref="SendLater"/> or <see cref="Discard"/>.</summary>
        public static string Send(long broadcastId, string how)
        {
            if (how is not (SendNow or SendLater or Discard))
            {
                throw new ArgumentOutOfRangeException(nameof(how), how, "Not a way to send a broadcast.");
            }

            return Build(Prefixes.Send, broadcastId) + Separator + how;
        }

        public static string Stop(long broadcastId) => Build(Prefixes.Stop, broadcastId);

        public static string NotReached(long broadcastId) => Build(Prefixes.NotReached, broadcastId);

        /// <summary>The payload after "ba:": "c", "w", "a", "n", "u", "e", or "c:42" / "w:42" / "a:42" / "n:42" for one session's members.</summary>
        public static bool TryParseAudience(string? payload, out Audience audience, out long? sessionId)
        {
            sessionId = null;
            audience = default;
            var parts = payload?.Split(Separator) ?? [];
            if (parts.Length is < 1 or > 2 || !TryParseCode(parts[0], out audience))
            {
                return false;
            }

            if (parts.Length == 2)
            {
                if (!TryParseId(parts[1], out var id) || !audience.IsPerSession())
                {
                    return false;
                }

                sessionId = id;
            }

            return true;
        }

        /// <summary>The payload after "bs:": "7:now", "7:at" or "7:x".</summary>
        public static bool TryParseSend(string? payload, out long broadcastId, out string how)
        {
            var parts = payload?.Split(Separator) ?? [];
            how = parts.Length == 2 ? parts[1] : "";
            broadcastId = 0;
            return parts.Length == 2 && how is SendNow or SendLater or Discard && TryParseId(parts[0], out broadcastId);
        }

        /// <summary>The payload after "bc:" or "bn:": the broadcast.</summary>
        public static bool TryParseBroadcast(string? payload, out long broadcastId) => TryParseId(payload, out broadcastId);

        // Buttons in chats carry these codes: none may change.
        private static string Code(Audience audience) => audience switch
        {
            Audience.Confirmed => "c",
            Audience.Waitlisted => "w",
            Audience.Upcoming => "u",
            Audience.Attended => "a",
            Audience.NoShows => "n",
            _ => "e",
        };

        private static bool TryParseCode(string code, out Audience audience)
        {
            audience = code switch
            {
                "c" => Audience.Confirmed,
                "w" => Audience.Waitlisted,
                "u" => Audience.Upcoming,
                "a" => Audience.Attended,
                "n" => Audience.NoShows,
                _ => Audience.Everyone,
            };
            return code is "c" or "w" or "u" or "e" or "a" or "n";
        }
    }

    /// <summary>"ex:42" chooses session 42 to export; "ef:42:xlsx" exports it as XLSX.</summary>
    public static class Export
    {
        public static string Session(long sessionId) => Build(Prefixes.ExportSession, sessionId);

        public static string Format(long sessionId, ExportFileFormat format) =>
            Build(Prefixes.ExportFormat, sessionId) + Separator + ExportFiles.Extension(format);

        /// <summary>The payload after "ex:": a session id in the one form <see cref="Session"/> writes.</summary>
        public static bool TryParseSession(string? payload, out long sessionId) => TryParseId(payload, out sessionId);

        /// <summary>The payload after "ef:": "42:csv" or "42:xlsx", nothing else.</summary>
        public static bool TryParseFormat(string? payload, out long sessionId, out ExportFileFormat format)
        {
            sessionId = 0;
            format = default;
            var colon = payload?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
            return colon > 0
                && payload![(colon + 1)..] is "csv" or "xlsx"
                && ExportFiles.TryParseFormat(payload[(colon + 1)..], out format)
                && TryParseId(payload[..colon], out sessionId);
        }
    }

    /// <summary>"na:42" answers note 42.</summary>
    public static class Notes
    {
        public static string Answer(long noteId) => Build(Prefixes.NoteAnswer, noteId);

        /// <summary>The payload after "na:": the note to answer.</summary>
        public static bool TryParseAnswer(string? payload, out long noteId) => TryParseId(payload, out noteId);
    }

    private static string Build(string prefix, long id) => prefix + Separator + Id(id);

    private static string Build(string prefix, string payload) => prefix + Separator + payload;

    private static string Id(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Positive, ASCII digits only, no sign, spaces or leading zeros: the one form <see cref="Id"/> writes.</summary>
    private static bool TryParseId(ReadOnlySpan<char> digits, out long id)
    {
        id = 0;
        return digits.Length > 0
            && digits[0] != '0'
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && id > 0;
    }

    private static bool TryParseId(string? digits, out long id) => TryParseId(digits.AsSpan(), out id);
}
