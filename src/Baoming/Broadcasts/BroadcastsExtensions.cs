using Baoming.Chat;
using Baoming.Delivery;

namespace Baoming.Broadcasts;

/// <summary>Registers the broadcasts feature.</summary>
public static class BroadcastsExtensions
{
    /// <summary><c>/broadcast</c>, <c>/broadcasts</c>, their buttons and dialogues, and the broadcast topic (organizers).</summary>
    public static IServiceCollection AddBroadcasts(this IServiceCollection services)
    {
        services.AddSingleton<BroadcastRepository>();
        services.AddSingleton<ITopic, BroadcastTopic>();
        services.AddSingleton<FollowUps.IFollowUpHandler, BroadcastFollowUps>();
        services.AddSingleton<Export.IExportColumnSource, BroadcastExportColumns>();
        services.AddSingleton<IChatCommand, BroadcastCommand>();
        services.AddSingleton<IChatCommand, BroadcastsCommand>();
        services.AddSingleton<IButtonHandler, AudienceButton>();
        services.AddSingleton<IButtonHandler, SendButton>();
        services.AddSingleton<IButtonHandler, StopButton>();
        services.AddSingleton<IButtonHandler, NotReachedButton>();
        services.AddSingleton<IDialogueHandler, BroadcastTextDialogue>();
        services.AddSingleton<IDialogueHandler, BroadcastTimeDialogue>();
        return services;
    }
}
