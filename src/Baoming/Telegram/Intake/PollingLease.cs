using System.Data;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Only one instance may call getUpdates (a second gets 409 Conflict and both stall). The poller is
/// whoever holds this session-level advisory lock on a held connection; if that instance dies, its
/// connection closes and a standing-by instance takes over.
/// </summary>
public sealed class PollingLease(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    /// <summary>Advisory-lock key (two-integer key space): class "Poll", key 0.</summary>
    private const int LockClass = AdvisoryLocks.PollingClass;

    private NpgsqlConnection? connection;

    /// <summary>True while this instance holds the lease (taking it if it is free); checks the connection is alive.</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (connection is { State: ConnectionState.Open } held)
        {
            try
            {
                await held.ExecuteAsync(new CommandDefinition("select 1", cancellationToken: cancellationToken));
                return true;
            }
            catch (NpgsqlException)
            {
                // The connection, and the lease with it, is gone: try to take it again below.
                await ReleaseAsync();
            }
        }

        var candidate = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await candidate.ExecuteScalarAsync<bool>(new CommandDefinition("select pg_try_advisory_lock(@LockClass, 0)", new { LockClass }, cancellationToken: cancellationToken)))
            {
                connection = candidate;
                return true;
            }
        }
        catch
        {
            await candidate.DisposeAsync();
            throw;
        }

        await candidate.DisposeAsync();
        return false;
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    private async Task ReleaseAsync()
    {
        if (connection is { } held)
        {
            connection = null;
            try
            {
                // Explicitly: a pooled connection keeps its session (and the lock) after it is closed.
                await held.ExecuteAsync("select pg_advisory_unlock(@LockClass, 0)", new { LockClass });
            }
            catch (NpgsqlException)
            {
                // A broken connection: its session, and the lock with it, is gone already.
            }

            await held.DisposeAsync();
        }
    }
}
