using Baoming.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baoming.Tests.Configuration;

/// <summary>The quiet categories (Hangfire, ASP.NET Core, HttpClient) are configuration defaults an operator can raise.</summary>
public sealed class LoggingDefaultsTests
{
    private static ILoggerFactory LoggersOf(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = BaomingHost.CreateBuilder(overrides);
        return builder.Build().Services.GetRequiredService<ILoggerFactory>();
    }

    [Theory]
    [InlineData("Hangfire.Server.BackgroundServerProcess")]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("System.Net.Http.HttpClient.Default")]
    public void Noisy_categories_log_warnings_only_by_default(string category)
    {
        var logger = LoggersOf().CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void I_can_raise_Hangfire_logging_with_a_setting()
    {
        var logger = LoggersOf(new Dictionary<string, string?> { ["Logging:LogLevel:Hangfire"] = "Information" }).CreateLogger("Hangfire.Server.BackgroundServerProcess");

        Assert.True(logger.IsEnabled(LogLevel.Information));
    }
}
