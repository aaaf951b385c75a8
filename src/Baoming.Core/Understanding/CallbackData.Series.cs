namespace Baoming.Core.Understanding;

public static partial class CallbackData
{
    /// <summary>"sf:3" follows series 3 ("以后的场次也通知我"); "sx:3" stops following it (退订).</summary>
    public static class Series
    {
        public static string Follow(long seriesId) => Build(Prefixes.Follow, seriesId);

        public static string Unfollow(long seriesId) => Build(Prefixes.Unfollow, seriesId);

        /// <summary>The payload after "sf:" or "sx:": the series, in the one form <see cref="Follow"/> writes.</summary>
        public static bool TryParseSeries(string? payload, out long seriesId) => TryParseId(payload, out seriesId);
    }
}
