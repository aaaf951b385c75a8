using Baoming.Community;
using Baoming.Core.Replies;
using Baoming.Hosting;
using Baoming.Sessions;

namespace Baoming.Cli;

internal static class MaintenanceCommands
{
    /// <summary><c>migrate</c>: the runner already migrated and upserted the sessions; say so.</summary>
    public static Task<int> MigrateAsync(CancellationToken cancellationToken) =>
        HostRunner.RunAsync(BaomingHost.CreateBuilder(), _ => { }, async (_, _) =>
        {
            await Console.Out.WriteLineAsync("Database is up to date.");
            return 0;
        }, cancellationToken);

    /// <summary><c>sessions list</c>: one line per session, times in the community's zone.</summary>
    public static Task<int> ListSessionsAsync(CancellationToken cancellationToken)
    {
        // Standard output is the list: a script reads it.
        var builder = BaomingHost.CreateBuilder();
        BaomingHost.OnlyProblemsOnStandardError(builder);
        return HostRunner.RunAsync(builder, _ => { }, async (host, ct) =>
        {
            var zone = host.Services.GetRequiredService<IOptions<CommunityOptions>>().Value.Zone;
            var sessions = await host.Services.GetRequiredService<SessionRepository>().ListAsync(ct);
            await Console.Out.WriteLineAsync("key\tstarts\tconfirmed\twaitlisted\tcapacity\tstatus\ttitle");
            foreach (var (session, confirmed, waitlisted) in sessions)
            {
                var capacity = session.Capacity == 0 ? "unlimited" : session.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var status = session.IsCancelled ? "cancelled" : "scheduled";
                await Console.Out.WriteLineAsync(
                    $"{session.Key}\t{TimeFormat.Format(session.StartsAt, zone, Core.Language.Chinese)}\t{confirmed}\t{waitlisted}\t{capacity}\t{status}\t{session.Title}");
            }

            return 0;
        }, cancellationToken);
    }
}
