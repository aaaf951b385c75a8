using Baoming.Delivery;
using Baoming.Hosting;
using Baoming.Jobs;
using Baoming.Sessions;
using Baoming.Telegram;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Baoming.Tests.Configuration;

/// <summary>A setting out of its range stops start-up with a line that names its key, not a C# property.</summary>
public sealed class RangeMessagesTests
{
    [Theory]
    [InlineData("Jobs:WorkerCount", "0", "Jobs:WorkerCount must be between 1 and 100.")]
    [InlineData("Jobs:SchedulePollingInterval", "00:05:00", "Jobs:SchedulePollingInterval must be between 0.1 s and 1 min.")]
    [InlineData("Jobs:InvisibilityTimeout", "00:00:01", "Jobs:InvisibilityTimeout must be between 5 s and 1 h.")]
    [InlineData("Telegram:MaxMessagesPerSecond", "5000", "Telegram:MaxMessagesPerSecond must be between 1 and 1000.")]
    [InlineData("Telegram:PollTimeoutSeconds", "99", "Telegram:PollTimeoutSeconds must be between 0 and 50.")]
    public void An_out_of_range_setting_is_refused_naming_its_key(string key, string value, string expected)
    {
        var builder = BaomingHost.CreateBuilder(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        using var services = builder.Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<JobsOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SendRateOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TelegramOptions>>().Value;
        });

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DurationMinutes", "0", "Sessions:N:DurationMinutes must be between 1 and 10080.")]
    [InlineData("Capacity", "-1", "Sessions:N:Capacity must be 0 (unlimited) or more.")]
    public void An_out_of_range_session_setting_is_refused_naming_its_key(string field, string value, string expected)
    {
        var refused = SessionCatalogRefusal.Of(field, value);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
