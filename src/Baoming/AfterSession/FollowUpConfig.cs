using Baoming.Core.Organizers;
using Baoming.Sessions;

namespace Baoming.AfterSession;

/// <summary>
/// <c>Sessions:N:FollowUpAttended</c> and <c>Sessions:N:FollowUpNoShow</c>: checked at start-up (a text Telegram
/// would refuse stops the start, naming its key), then stored with each configured session after the sync.
/// The configuration wins at every start, as for a session's other fields.
/// </summary>
public sealed class FollowUpConfig(AfterSessionStore store) : ISessionConfigHook
{
    public Task SyncedAsync(IReadOnlyList<(long SessionId, SessionConfig Config)> sessions, CancellationToken cancellationToken) =>
        store.SetConfiguredAsync(
            [.. sessions.Select(s => (s.SessionId, Normalize(s.Config.FollowUpAttended), Normalize(s.Config.FollowUpNoShow)))],
            cancellationToken);

    /// <summary>As it will be sent (trimmed); null when absent. Validation has refused anything else.</summary>
    private static string? Normalize(string? text) => string.IsNullOrEmpty(text) ? null : FollowUpText.Parse(text).Value;
}

/// <summary>
/// Stops start-up on a configured follow-up Telegram would refuse (broken HTML, over 4096 characters, nothing to
/// show), naming its key: <c>Sessions:N:FollowUpAttended</c> or <c>Sessions:N:FollowUpNoShow</c>.
/// </summary>
public sealed class FollowUpConfigValidator : IValidateOptions<SessionCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Sessions
            .SelectMany((s, i) => new[]
            {
                FollowUpText.ConfigurationProblem(s.FollowUpAttended, $"Sessions:{i}:{nameof(SessionConfig.FollowUpAttended)}"),
                FollowUpText.ConfigurationProblem(s.FollowUpNoShow, $"Sessions:{i}:{nameof(SessionConfig.FollowUpNoShow)}"),
            })
            .OfType<string>()
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
