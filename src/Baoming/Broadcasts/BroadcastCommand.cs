using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;

namespace Baoming.Broadcasts;

/// <summary><c>/broadcast</c>: the audiences, with the sizes of the two that need no session.</summary>
public sealed class BroadcastCommand(BroadcastRepository broadcasts, TimeProvider time) : IChatCommand
{
    public string Name => "broadcast";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var upcoming = await broadcasts.CountAudienceAsync(Audience.Upcoming, null, now, cancellationToken);
        var everyone = await broadcasts.CountAudienceAsync(Audience.Everyone, null, now, cancellationToken);
        return context.Reply(context.Texts.BroadcastChooseAudience(upcoming, everyone));
    }
}
