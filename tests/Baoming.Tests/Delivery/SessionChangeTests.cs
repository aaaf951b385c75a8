using Baoming.Sessions;
using Baoming.Storage;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Tests.Delivery;

/// <summary>
/// The session follow-ups' arguments are written by a trigger (<c>0010_follow_ups.sql</c>) and read in one
/// place, <see cref="SessionChange"/>: a move carries the old and new start, which make the notice's topic.
/// </summary>
public sealed class SessionChangeTests
{
    [Fact]
    public void A_moves_argument_reads_as_the_session_and_its_old_and_new_start()
    {
        var change = SessionChange.Parse(SessionFollowUps.Moved, "5:1767225600:1767232800");

        Assert.Equal(new SessionChange(5, DateTimeOffset.FromUnixTimeSeconds(1_767_225_600), DateTimeOffset.FromUnixTimeSeconds(1_767_232_800)), change);
        Assert.Equal("moved:5:1767225600:1767232800", SessionMovedTopic.Key(change.SessionId, change.PreviousStart!.Value, change.NewStart!.Value).ToString());
    }

    [Theory]
    [InlineData(SessionFollowUps.Created)]
    [InlineData(SessionFollowUps.Cancelled)]
    public void A_creations_or_cancellations_argument_is_the_session_alone(string kind) =>
        Assert.Equal(new SessionChange(5), SessionChange.Parse(kind, "5"));

    [Theory]
    [InlineData(SessionFollowUps.Moved, "5")]
    [InlineData(SessionFollowUps.Moved, "5:1:x")]
    [InlineData(SessionFollowUps.Cancelled, "5:1:2")]
    [InlineData(SessionFollowUps.Created, "")]
    public void An_argument_of_another_shape_is_refused(string kind, string argument) =>
        Assert.ThrowsAny<FormatException>(() => SessionChange.Parse(kind, argument));

    [Fact]
    public async Task The_arguments_the_sessions_trigger_writes_are_read_as_the_changes_they_record()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = await dataSource.OpenConnectionAsync();
        var before = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600).AddMilliseconds(900);
        var after = before.AddHours(2);

        var id = await connection.QuerySingleAsync<long>(
            "insert into sessions (key, title, starts_at, duration_minutes) values ('moving', 'Moving', @before, 60) returning id", new { before });
        await connection.ExecuteAsync("update sessions set starts_at = @after where id = @id", new { after, id });
        await connection.ExecuteAsync("update sessions set cancelled_at = now() where id = @id", new { id });
        var rows = (await connection.QueryAsync<(string Kind, string Argument)>("select kind, argument from follow_ups order by id")).ToList();

        Assert.Equal([SessionFollowUps.Created, SessionFollowUps.Moved, SessionFollowUps.Cancelled], rows.Select(r => r.Kind));
        Assert.Equal(
            [
                new SessionChange(id),
                // Whole seconds, truncated, as the notice's key holds them.
                new SessionChange(id, DateTimeOffset.FromUnixTimeSeconds(before.ToUnixTimeSeconds()), DateTimeOffset.FromUnixTimeSeconds(after.ToUnixTimeSeconds())),
                new SessionChange(id),
            ],
            rows.Select(r => SessionChange.Parse(r.Kind, r.Argument)));
    }
}
