using Baoming.Chat;
using Baoming.Core;

namespace Baoming.Broadcasts;

/// <summary><c>/broadcasts</c>: recent and scheduled broadcasts with their counts; scheduled and running ones can be cancelled.</summary>
public sealed class BroadcastsCommand(BroadcastRepository broadcasts) : IChatCommand
{
    public string Name => "broadcasts";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Reply(context.Texts.BroadcastList(await broadcasts.ListRecentAsync(10, cancellationToken)));
    }
}
