using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;

namespace Baoming.Sessions;

/// <summary>
/// A feature's part of a configured session (its questions, its follow-ups): handed every configured
/// session with its id after each start-up sync. Must converge when run again with the same configuration.
/// </summary>
public interface ISessionConfigHook
{
    Task SyncedAsync(IReadOnlyList<(long SessionId, SessionConfig Config)> sessions, CancellationToken cancellationToken);
}

/// <summary>
/// A field of <c>/editsession KEY FIELD VALUE</c> that another feature keeps (e.g. <c>questions</c>).
/// The command has already found the session and refused a cancelled one; the field checks the value,
/// stores it, writes the audit entry and answers.
/// </summary>
public interface ISessionEditField
{
    /// <summary>Lower-case field name.</summary>
    string Name { get; }

    Task<Response> EditAsync(ChatContext context, SessionCounts found, string value, CancellationToken cancellationToken);
}

/// <summary>Lines a feature adds under each session in <c>/sessions</c> and an export's caption (e.g. the show rate), by session id; none for a session it has nothing on.</summary>
public interface ISessionFacts
{
    Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken);
}

public static class SessionFactsExtensions
{
    /// <summary>Every feature's lines for these sessions, in the features' order.</summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAllAsync(
        this IEnumerable<ISessionFacts> sources, IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        var facts = new Dictionary<long, IReadOnlyList<string>>();
        foreach (var source in sources)
        {
            foreach (var (id, lines) in await source.DescribeAsync(sessionIds, texts, cancellationToken))
            {
                facts[id] = [.. facts.GetValueOrDefault(id) ?? [], .. lines];
            }
        }

        return facts;
    }
}

/// <summary>
/// The join link to give one member: their personal link (which records the click) when the bot has a
/// public address, else the session's own <see cref="Core.Session.JoinUrl"/>. Attendance provides it.
/// </summary>
public interface IMemberJoinUrl
{
    ValueTask<string?> ForAsync(Core.Session session, long memberId, CancellationToken cancellationToken);
}
