using Baoming.Chat;
using Baoming.Core.Understanding;
using Baoming.Hosting;
using Baoming.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Architecture;

/// <summary>
/// Every feature's button handler answers to a prefix of the one codec (<see cref="CallbackData.Prefixes"/>),
/// and none takes a readers' prefix: the codec's own test keeps its prefixes distinct, this one keeps the
/// handlers to them.
/// </summary>
public sealed class ButtonPrefixTests
{
    private static readonly string[] ReadersPrefixes =
    [
        CallbackData.Prefixes.SignUp, CallbackData.Prefixes.Cancel, CallbackData.Prefixes.Calendar,
        CallbackData.Prefixes.Attend, CallbackData.Prefixes.SessionPage,
    ];

    [Fact]
    public void Every_registered_button_handler_uses_a_prefix_of_the_codec_once()
    {
        var builder = BaomingHost.CreateBuilder();
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        // The channel is the verb's; any will do to build the handlers.
        builder.Services.AddSingleton<IMessenger>(_ => throw new InvalidOperationException("no channel in this test"));
        using var services = builder.Services.BuildServiceProvider();

        var prefixes = services.GetServices<IButtonHandler>().Select(h => h.Prefix).ToList();

        Assert.NotEmpty(prefixes);
        Assert.All(prefixes, p => Assert.Contains(p, CallbackData.Prefixes.All));
        Assert.All(prefixes, p => Assert.DoesNotContain(p, ReadersPrefixes));
        Assert.Equal(prefixes.Count, prefixes.Distinct(StringComparer.Ordinal).Count());
    }
}
