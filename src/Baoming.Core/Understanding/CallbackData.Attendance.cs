namespace Baoming.Core.Understanding;

// The 我已入会 button of the "starting now" message (issue 17).
public static partial class CallbackData
{
    /// <summary>"in:42": the member pressing it says they have joined session 42.</summary>
    public static class Attendance
    {
        public static string Joined(long sessionId) => Build(Prefixes.Joined, sessionId);

        /// <summary>The payload after "in:": the session, in the one form <see cref="Joined"/> writes.</summary>
        public static bool TryParseJoined(string? payload, out long sessionId) => TryParseId(payload, out sessionId);
    }
}
