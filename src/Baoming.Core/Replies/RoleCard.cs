namespace Baoming.Core.Replies;

/// <summary>
/// Whom a role command is about, as the bot knows them. <paramref name="Role"/> and
/// <paramref name="ConfiguredRole"/> are "reader", "organizer" or "admin".
/// </summary>
public sealed record RoleCard(long MemberId, string? Username, string? DisplayName, string Role, string ConfiguredRole, string? GrantedRole);
