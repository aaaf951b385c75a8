namespace Baoming.Stats;

/// <summary>Log messages of <c>/stats</c> and the <c>stats</c> verb (event ids 2300-2399).</summary>
internal static partial class StatsLog
{
    [LoggerMessage(2300, LogLevel.Debug, "Drew the {Kind} chart of {Key}: {Points} points, {Bytes} bytes in {ElapsedMilliseconds} ms")]
    public static partial void DrewChart(this ILogger logger, string kind, string key, int points, int bytes, long elapsedMilliseconds);

    [LoggerMessage(2301, LogLevel.Error, "No chart for {Key}: {Reason}")]
    public static partial void NoFont(this ILogger logger, string key, string reason);

    [LoggerMessage(2302, LogLevel.Debug, "Counted the {Kind} stats of {Key} in {ElapsedMilliseconds} ms")]
    public static partial void Counted(this ILogger logger, string kind, string key, long elapsedMilliseconds);
}
