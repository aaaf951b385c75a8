namespace Baoming.Core.Series;

/// <summary>A series of sessions held again and again under one name ("选题会"): readers follow it to hear of its next session.</summary>
public sealed record SeriesInfo(long Id, string Key, string Title, IReadOnlyList<string> Aliases);
