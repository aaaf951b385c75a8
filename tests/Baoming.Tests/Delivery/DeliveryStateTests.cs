using Baoming.Delivery;
using Baoming.Messaging;
using Baoming.Storage;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Tests.Delivery;

/// <summary>The ledger's states in code and in <c>deliveries.state</c> are the same set, mapped one way and back.</summary>
public sealed class DeliveryStateTests
{
    [Fact]
    public async Task Every_delivery_state_maps_to_a_value_the_deliveries_check_constraint_allows_and_back()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = await dataSource.OpenConnectionAsync();

        var allowed = await CheckConstraints.AllowedValuesAsync(connection, "deliveries", "state");

        Assert.NotEmpty(allowed);
        Assert.Equal(allowed.Order(), Enum.GetValues<DeliveryState>().Select(s => s.ToDatabase()).Order());
        Assert.All(Enum.GetValues<DeliveryState>(), s => Assert.Equal(s, DeliveryStates.FromDatabase(s.ToDatabase())));
    }

    [Theory]
    [InlineData(SendStatus.Sent, "sent")]
    [InlineData(SendStatus.Blocked, "blocked")]
    [InlineData(SendStatus.Failed, "failed")]
    [InlineData(SendStatus.Unknown, "unknown")]
    public void A_finished_send_leaves_its_row_in_the_state_of_the_same_name(SendStatus status, string stored) =>
        Assert.Equal(stored, DeliveryStates.FromSend(status).ToDatabase());

    [Fact]
    public void A_deferred_reply_is_not_an_outcome_of_a_ledgers_send()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryStates.FromSend(SendStatus.Deferred));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryStates.FromDatabase("deferred"));
    }
}
