namespace Baoming.Core.Understanding;

// The feedback buttons after a session (issue 17): a score, and 跳过 for the optional comment.
public static partial class CallbackData
{
    /// <summary>
    /// "fb:42:5" scores session 42 with 5 (1–5); "fb:42:skip" skips the comment asked for after a score.
    /// Anything else (another digit, a sign, a leading zero, a missing part) is stale.
    /// </summary>
    public static class Feedback
    {
        public const int MinScore = 1;

        public const int MaxScore = 5;

        private const string SkipPayload = "skip";

        public static string Score(long sessionId, int score)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(score, MinScore);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(score, MaxScore);
            return Build(Prefixes.Feedback, sessionId) + Separator + (char)('0' + score);
        }

        public static string Skip(long sessionId) => Build(Prefixes.Feedback, sessionId) + Separator + SkipPayload;

        /// <summary>
        /// The payload after "fb:": "42:5" (a score, <paramref name="score"/> set) or "42:skip" (<paramref name="score"/> null),
        /// in the one form <see cref="Score"/> and <see cref="Skip"/> write.
        /// </summary>
        public static bool TryParse(string? payload, out long sessionId, out int? score)
        {
            sessionId = 0;
            score = null;
            var colon = payload?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
            if (colon <= 0 || payload!.Length > MaxBytes || !TryParseId(payload.AsSpan(0, colon), out sessionId))
            {
                return false;
            }

            var rest = payload.AsSpan(colon + 1);
            if (rest.SequenceEqual(SkipPayload))
            {
                return true;
            }

            if (rest.Length == 1 && rest[0] - '0' is >= MinScore and <= MaxScore and var digit)
            {
                score = digit;
                return true;
            }

            sessionId = 0;
            return false;
        }
    }
}
