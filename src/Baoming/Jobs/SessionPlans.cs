using Baoming.Platform;
using Dapper;
using Npgsql;

namespace Baoming.Jobs;

/// <summary>
/// A feature that keeps one planted Hangfire job per session in a plan table of its own (after-session runs,
/// series invitations): it brings every session's plan in line with the session. Must converge: a round with
/// nothing to change changes nothing.
/// </summary>
public interface ISessionPlanner
{
    /// <summary>What is planted, for the log (e.g. "after-session runs").</summary>
    string Planned { get; }

    Task SyncAllAsync(CancellationToken cancellationToken);
}

public static partial class SessionPlans
{
    /// <summary>
    /// Runs <paramref name="sync"/> for each session id <paramref name="idsSql"/> returns: the sessions that may
    /// still need a plan, and every plan not yet fired (its session may have gone past or been cancelled).
    /// </summary>
    public static async Task SyncEachAsync(
        NpgsqlDataSource dataSource, string idsSql, object parameters, Func<long, CancellationToken, Task> sync, CancellationToken cancellationToken)
    {
        IEnumerable<long> ids;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            ids = await connection.QueryAsync<long>(new CommandDefinition(idsSql, parameters, cancellationToken: cancellationToken));
        }

        foreach (var id in ids)
        {
            await sync(id, cancellationToken);
        }
    }

    /// <summary>
    /// Plants every plan of <typeparamref name="TPlanner"/> once the host is up (a session may have been added or
    /// moved while this instance was away, a setting may have changed), then checks again now and again: a plan
    /// whose planting failed (its follow-up gave up, the job storage was away) is planted on a later round.
    /// </summary>
    /// <remarks>One service type per planner: the container keeps one hosted service per implementation type.</remarks>
    public static IServiceCollection AddPlanningRounds<TPlanner>(this IServiceCollection services)
        where TPlanner : class, ISessionPlanner =>
        services.AddHostedService<PlanningRounds<TPlanner>>();

    [LoggerMessage(EventId = 1732, Level = LogLevel.Error, Message = "Planting the {Planned} failed; trying again in a minute")]
    internal static partial void LogPlantingFailed(ILogger logger, Exception exception, string planned);
}

/// <summary>The background service of <see cref="SessionPlans.AddPlanningRounds"/>: every round plants every plan of <typeparamref name="TPlanner"/>.</summary>
public sealed class PlanningRounds<TPlanner>(TPlanner planner, ILogger<TPlanner> logger) : BackgroundService
    where TPlanner : class, ISessionPlanner
{
    public static readonly TimeSpan Round = TimeSpan.FromMinutes(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync(
            ct => Retry.UntilDoneAsync(planner.SyncAllAsync, logger, ct),
            Round,
            TimeSpan.FromMinutes(1),
            e => SessionPlans.LogPlantingFailed(logger, e, planner.Planned),
            stoppingToken);
}
