using Baoming.Broadcasts;
using Baoming.Core.Organizers;
using Baoming.Storage;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Tests.Organizers;

/// <summary>A broadcast's states in code and in <c>broadcasts.state</c> are the same set, mapped one way and back.</summary>
public sealed class BroadcastStateTests
{
    [Fact]
    public async Task Every_broadcast_state_is_stored_as_a_value_the_broadcasts_check_constraint_allows_and_read_back()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = await dataSource.OpenConnectionAsync();

        var allowed = await CheckConstraints.AllowedValuesAsync(connection, "broadcasts", "state");

        Assert.NotEmpty(allowed);
        Assert.Equal(allowed.Order(), Enum.GetValues<BroadcastState>().Select(s => s.ToDatabase()).Order());

        // Each state is stored as written and read back through the repository as the same state.
        var repository = new BroadcastRepository(dataSource);
        foreach (var state in Enum.GetValues<BroadcastState>())
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "insert into broadcasts (author_id, audience, text, state) values (1, 'everyone', 'x', @state) returning id",
                new { state = state.ToDatabase() });

            Assert.Equal(state, (await repository.FindAsync(id, CancellationToken.None))!.State);
        }
    }

    [Fact]
    public void A_value_outside_the_constraint_is_not_a_broadcast_state() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BroadcastStates.FromDatabase("sent"));
}
