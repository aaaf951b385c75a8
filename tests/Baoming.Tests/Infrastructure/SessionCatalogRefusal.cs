using Baoming.Hosting;
using Baoming.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Baoming.Tests.Infrastructure;

/// <summary>The metaverse session configured with one more field, checked as start-up checks it (no database needed).</summary>
public static class SessionCatalogRefusal
{
    /// <summary>Why start-up refuses <c>Sessions:0:&lt;field&gt;</c> = <paramref name="value"/>; fails the test when it is accepted.</summary>
    public static OptionsValidationException Of(string field, string value)
    {
        var builder = BaomingHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Sessions:0:Key"] = "metaverse",
            ["Sessions:0:Title"] = "到底什么是“元宇宙”",
            ["Sessions:0:StartsAt"] = "2027-02-17T20:00:00+08:00",
            [$"Sessions:0:{field}"] = value,
        });
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        using var services = builder.Services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SessionCatalogOptions>>().Value);
    }
}
