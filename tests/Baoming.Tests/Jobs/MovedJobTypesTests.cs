using Baoming.Delivery;
using Baoming.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoming.Tests.Jobs;

/// <summary>Jobs stored before a job type moved to another namespace (a reminder planted weeks ahead) still run after the move.</summary>
public sealed class MovedJobTypesTests
{
    [Theory]
    [InlineData("Baoming.Jobs.FanOutJob, Baoming", typeof(FanOutJob))]
    [InlineData("Baoming.Delivery.FanOutJob, Baoming", typeof(FanOutJob))]
    [InlineData("System.String, System.Private.CoreLib", typeof(string))]
    public void Old_and_new_names_resolve(string stored, Type expected) =>
        Assert.Equal(expected, MovedJobTypes.Resolve(stored));

    [Fact]
    public void The_inbox_cleanup_job_of_before_the_move_is_the_retention_job() =>
        Assert.Equal(typeof(Baoming.Storage.RetentionJob), MovedJobTypes.Resolve("Baoming.Inbox.InboxCleanupJob, Baoming"));

    [Fact]
    public void A_fan_out_job_stored_under_its_old_name_is_read_by_the_configured_Hangfire()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            // Never opened: building Hangfire's storage and configuration touches no database.
            .AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"))
            .AddJobs();
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IGlobalConfiguration>();

        var stored = new InvocationData(
            "Baoming.Jobs.FanOutJob, Baoming",
            nameof(FanOutJob.RunAsync),
            """["System.String, System.Private.CoreLib","System.Threading.CancellationToken, System.Private.CoreLib"]""",
            """["\"reminder:1:1767225600\"",null]""");
        var job = stored.DeserializeJob();

        Assert.Equal(typeof(FanOutJob), job.Type);
        Assert.Equal("reminder:1:1767225600", job.Args[0]);
    }
}
