using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Core.Series;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.Series;

/// <summary>
/// <c>/editsession KEY series SERIESKEY</c> puts a session in a series (its followers are invited once it is
/// open); <c>/editsession KEY series -</c> takes it out. Audited like every other edit.
/// </summary>
public sealed class SeriesEditField(SeriesRepository series, AuditLog audit) : ISessionEditField
{
    public const string Field = "series";

    public string Name => Field;

    public async Task<Response> EditAsync(ChatContext context, SessionCounts found, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(found);
        var key = value.Trim();
        SeriesInfo? target = null;
        if (key != "-" && (target = await series.FindByKeyAsync(key, cancellationToken)) is null)
        {
            return context.Reply(context.Texts.UnknownSeries(key, await series.AllAsync(cancellationToken)));
        }

        var session = found.Session;
        var before = await series.AssignAsync(session.Id, target?.Id, cancellationToken);
        await audit.WriteAsync(context.MemberId, "session.edit", new { session_id = session.Id, key = session.Key, field = Field, before, after = target?.Id }, cancellationToken);
        return context.Reply(context.Texts.SessionSeriesSet(session, target, found.IsFromConfiguration));
    }
}

/// <summary><c>/series</c> (organizers): each series with its followers and its sessions, upcoming first.</summary>
public sealed class SeriesCommand(SeriesRepository series, NpgsqlDataSource dataSource, TimeProvider time) : IChatCommand
{
    public string Name => "series";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        const string Sql = $"select {StoredSession.Columns}, s.series_id as SeriesId from sessions s where s.series_id is not null order by s.starts_at, s.id";
        var all = await series.AllAsync(cancellationToken);
        var followers = await series.FollowerCountsAsync(cancellationToken);
        List<SessionRow> rows;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            rows = [.. await connection.QueryAsync<SessionRow>(new CommandDefinition(Sql, cancellationToken: cancellationToken))];
        }

        var now = time.GetUtcNow();
        var overview = all.Select(info =>
        {
            var sessions = rows.Where(r => r.SeriesId == info.Id).Select(r => r.ToSession()).ToList();
            IReadOnlyList<Session> upcoming = [.. sessions.Where(s => s.IsOpenAt(now))];
            IReadOnlyList<Session> past = [.. sessions.Where(s => !s.IsOpenAt(now)).OrderByDescending(s => s.StartsAt)];
            return (info, followers.GetValueOrDefault(info.Id), upcoming, past);
        }).ToList();
        return context.Reply(context.Texts.SeriesOverview(overview));
    }

    private sealed record SessionRow : StoredSession
    {
        public long SeriesId { get; init; }
    }
}

/// <summary><c>/newseries KEY 标题</c> (organizers): a series made in the chat, audited; the key must be new.</summary>
public sealed class NewSeriesCommand(SeriesRepository series, AuditLog audit) : IChatCommand
{
    public string Name => "newseries";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var space = arguments?.Trim().IndexOf(' ', StringComparison.Ordinal) ?? -1;
        var key = space < 0 ? arguments?.Trim() ?? "" : arguments!.Trim()[..space];
        var title = space < 0 ? "" : arguments!.Trim()[(space + 1)..].Trim();
        if (!OrganizerInput.IsValidKey(key) || title.Length is 0 or > SessionLimits.MaxTitleLength)
        {
            return context.Reply(texts.NewSeriesUsage());
        }

        var (created, existed) = await series.CreateAsync(key, title, cancellationToken);
        if (!existed)
        {
            await audit.WriteAsync(context.MemberId, "series.create", new { series_id = created.Id, key, title }, cancellationToken);
        }

        return context.Reply(texts.SeriesCreated(created, existed));
    }
}
