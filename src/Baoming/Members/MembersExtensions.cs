namespace Baoming.Members;

public static class MembersExtensions
{
    /// <summary>Everyone who started the bot in a private chat, with their language and reachability.</summary>
    public static IServiceCollection AddMembers(this IServiceCollection services) =>
        services.AddSingleton<MemberRepository>();
}
