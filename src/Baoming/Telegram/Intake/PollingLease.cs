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
                await using var ping = new NpgsqlCommand("select 1", held);
                await ping.ExecuteScalarAsync(cancellationToken);
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
            // Plain Npgsql, not Dapper: this is on the way to the first getUpdates, and Dapper's first call on a
            // shape generates its code at run time (ReadyToRun cannot precompile that).
            const string Sql = "select pg_try_advisory_lock($1, 0)";
            await using var command = new NpgsqlCommand(Sql, candidate) { Parameters = { new() { Value = LockClass } } };
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
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
