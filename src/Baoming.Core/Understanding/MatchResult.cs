namespace Baoming.Core.Understanding;

/// <summary>Which sessions a member's words point at.</summary>
public abstract record MatchResult
{
    private MatchResult()
    {
    }

    /// <summary>Exactly one session: sign up at once.</summary>
    public sealed record One(Session Session) : MatchResult;

    /// <summary>Several sessions, ordered by start: ask with buttons.</summary>
    public sealed record Many(IReadOnlyList<Session> Sessions) : MatchResult;

    /// <summary>Nothing matched: show the list and say so.</summary>
    public sealed record None : MatchResult;
}
