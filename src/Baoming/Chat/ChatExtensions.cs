namespace Baoming.Chat;

public static class ChatExtensions
{
    /// <summary>The conversation engine: roles (checked on every message), open dialogues and the dispatch to features.</summary>
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddSingleton<RoleService>();
        services.AddSingleton<DialogueStore>();
        services.AddSingleton<IntentRouter>();
        services.AddSingleton<Conversation>();
        return services;
    }
}
