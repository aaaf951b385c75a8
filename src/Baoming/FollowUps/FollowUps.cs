using Dapper;
using Npgsql;

namespace Baoming.FollowUps;

/// <summary>
/// Carries out one kind of follow-up. It must be safe to run twice (it may run again after a crash
/// between doing it and recording it done). Returns false to be asked again later without counting
/// an attempt (what it needs is not there yet).
/// </summary>
public interface IFollowUpHandler
{
    IReadOnlyList<string> Kinds { get; }

    Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken);
}

/// <summary>
/// The outbox: follow-ups recorded in the same transaction as the state change they follow (by
/// triggers on <c>sessions</c> and <c>broadcasts</c>, or by the statement that made the change), carried
/// out at once by whoever made the change and, whatever happens to it, by <see cref="FollowUpRunner"/>.
/// </summary>
public sealed partial class FollowUps(NpgsqlDataSource dataSource, IEnumerable<IFollowUpHandler> handlers, ILogger<FollowUps> logger)
{
    /// <summary>A follow-up that failed this often is given up (logged, and left for a person to look at).</summary>
    public const int MaxAttempts = 10;

    private readonly Dictionary<string, IFollowUpHandler> handlers = handlers.SelectMany(h => h.Kinds.Select(k => (k, h))).ToDictionary(p => p.k, p => p.h, StringComparer.Ordinal);

    /// <summary>
    /// Carries out what is waiting, one follow-up per transaction (its row locked, so no other
    /// instance runs it meanwhile). Returns how many were done.
    /// </summary>
    public async Task<int> RunWaitingAsync(CancellationToken cancellationToken)
    {
        const string NextSql = """
            select id, kind, argument, extract(epoch from now() - created_at)::float8 as age
              from follow_ups
             where done_at is null and attempts < @MaxAttempts and id > @after
             order by id limit 1 for update skip locked
            """;
        const string DoneSql = "update follow_ups set done_at = now() where id = @id";
        const string FailedSql = "update follow_ups set attempts = attempts + 1, last_error = @error where id = @id";

        var done = 0;
        for (long after = 0; ;)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var next = await connection.QuerySingleOrDefaultAsync<(long Id, string Kind, string Argument, double Age)?>(
                new CommandDefinition(NextSql, new { MaxAttempts, after }, transaction, cancellationToken: cancellationToken));
            if (next is not { } row)
            {
                return done;
            }

            after = row.Id;
            try
            {
                if (!handlers.TryGetValue(row.Kind, out var handler))
                {
                    throw new InvalidOperationException($"No handler for follow-up kind '{row.Kind}'.");
                }

                if (await handler.RunAsync(row.Kind, row.Argument, TimeSpan.FromSeconds(row.Age), cancellationToken))
                {
                    await connection.ExecuteAsync(new CommandDefinition(DoneSql, new { id = row.Id }, transaction, cancellationToken: cancellationToken));
                    done++;
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !Platform.Retry.IsOutage(e))
            {
                var error = Storage.PostgresText.Clean(e.Message);
                // Recorded on the row and tried again later; after MaxAttempts it is left alone.
                await transaction.RollbackAsync(CancellationToken.None);
                await connection.ExecuteAsync(new CommandDefinition(FailedSql, new { id = row.Id, error }, cancellationToken: CancellationToken.None));
                LogFailed(e, row.Kind, row.Argument, row.Id);
            }
        }
    }

    /// <summary>
    /// Right after a state change: carries out its follow-ups now if the database lets it, and leaves
    /// them to <see cref="FollowUpRunner"/> otherwise. Never throws for an outage: the change itself is
    /// committed, and its follow-ups with it.
    /// </summary>
    public async Task RunNowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunWaitingAsync(cancellationToken);
        }
        catch (Exception e) when (Platform.Retry.IsOutage(e))
        {
            LogLeftForLater(e);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Follow-up {Kind} {Argument} (#{Id}) failed; it is tried again later")]
    private partial void LogFailed(Exception exception, string kind, string argument, long id);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Follow-ups left for the runner: database unavailable")]
    private partial void LogLeftForLater(Exception exception);
}
