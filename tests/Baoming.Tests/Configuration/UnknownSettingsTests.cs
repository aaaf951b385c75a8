using Baoming.Hosting;
using Microsoft.Extensions.Configuration;

namespace Baoming.Tests.Configuration;

/// <summary>A misspelt key in a bound section is refused, naming the nearest known key; unbound sections are not checked.</summary>
public sealed class UnknownSettingsTests
{
    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings) =>
        UnknownSettings.Find(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Known_keys_lists_and_unbound_sections_pass()
    {
        var problems = Problems(new Dictionary<string, string?>
        {
            ["Telegram:MaxMessagesPerSecond"] = "5",
            ["telegram:botToken"] = "x",
            ["Community:Admins:0"] = "1",
            ["Reminders:Offsets:0"] = "01:00:00",
            ["Sessions:0:Key"] = "ai",
            ["Sessions:0:Aliases:0"] = "AI",
            ["Sessions:0:ReminderOffsets:1"] = "01:00:00",
            ["Jobs:WorkerCount"] = "2",
            ["Http:Urls"] = "http://127.0.0.1:0",
            ["EmbeddedPostgres:DataDirectory"] = "/tmp/x",
            ["Logging:LogLevel:Hangfire"] = "Information",
            ["ConnectionStrings:Postgres"] = "Host=x",
            ["WeChat:Anything"] = "x",
        });

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("Telegram:MaxMessagePerSecond", "Unknown setting Telegram:MaxMessagePerSecond — did you mean Telegram:MaxMessagesPerSecond?")]
    [InlineData("Community:Admin:0", "Unknown setting Community:Admin — did you mean Community:Admins?")]
    [InlineData("Sessions:1:Capacty", "Unknown setting Sessions:1:Capacty — did you mean Sessions:1:Capacity?")]
    [InlineData("Jobs:Workers", "Unknown setting Jobs:Workers — did you mean Jobs:WorkerCount?")]
    public void A_misspelt_key_is_named_with_the_nearest_known_one(string key, string expected)
    {
        var problems = Problems(new Dictionary<string, string?> { [key] = "1" });

        Assert.Equal([expected], problems);
    }
}
