using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Understanding;

namespace Baoming.Attendance;

/// <summary>
/// 我已入会 on the "starting now" message: records the member's attendance (via 'button') when they hold a
/// confirmed seat and the attendance window is open. The answer is a notice on the button; a second press
/// records nothing and says so kindly. Forged data, another session or no confirmed seat: the stale-button answer.
/// </summary>
public sealed class JoinedButton(AttendanceStore store, TimeProvider time) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Joined;

    public Role Requires => Role.Reader;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Attendance.TryParseJoined(payload, out var sessionId))
        {
            return null;
        }

        var texts = context.Texts;
        return await store.MarkJoinedAsync(sessionId, context.MemberId, time.GetUtcNow(), cancellationToken) switch
        {
            JoinedOutcome.Recorded => new Response([], texts.JoinedRecorded()),
            JoinedOutcome.AlreadyRecorded => new Response([], texts.JoinedAlready()),
            JoinedOutcome.TooEarly => new Response([], texts.JoinedTooEarly()),
            JoinedOutcome.TooLate => new Response([], texts.JoinedTooLate()),
            _ => null,
        };
    }
}
