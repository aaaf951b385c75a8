using System.Globalization;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Members;

namespace Baoming.Roles;

public static class RoleCommandsExtensions
{
    /// <summary><c>/grant</c>, <c>/revoke</c> (admins) and <c>/whoami</c> (everyone).</summary>
    public static IServiceCollection AddRoles(this IServiceCollection services)
    {
        services.AddSingleton<RoleDirectory>();
        services.AddSingleton<IChatCommand, GrantCommand>();
        services.AddSingleton<IChatCommand, RevokeCommand>();
        services.AddSingleton<IChatCommand, WhoAmICommand>();
        return services;
    }
}

/// <summary>Who a role command is about: "123456789" or "@username" (the @ optional), found or not.</summary>
public abstract record MemberTarget
{
    private MemberTarget()
    {
    }

    public sealed record Found(long MemberId, MemberProfile? Profile) : MemberTarget;

    public sealed record UnknownUsername(string Username) : MemberTarget;

    public sealed record AmbiguousUsername(string Username, IReadOnlyList<long> MemberIds) : MemberTarget;

    public sealed record Invalid : MemberTarget;
}

/// <summary>Finds members by id or @username and describes their role.</summary>
public sealed class RoleDirectory(MemberRepository members, RoleService roles)
{
    public async Task<MemberTarget> ResolveAsync(string? argument, CancellationToken cancellationToken)
    {
        var text = argument?.Trim() ?? "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return new MemberTarget.Found(id, await members.FindAsync(id, cancellationToken));
        }

        var username = text.TrimStart('@');
        // Telegram usernames: 5-32 of a-z, 0-9 and _ (older ones can be shorter); anything else is not one.
        if (username.Length is 0 or > 32 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return new MemberTarget.Invalid();
        }

        var found = await members.FindByUsernameAsync(username, cancellationToken);
        return found.Count switch
        {
            0 => new MemberTarget.UnknownUsername(username),
            1 => new MemberTarget.Found(found[0].Id, found[0]),
            _ => new MemberTarget.AmbiguousUsername(username, [.. found.Select(m => m.Id)]),
        };
    }

    public async Task<RoleCard> CardAsync(long memberId, MemberProfile? profile, CancellationToken cancellationToken)
    {
        var configured = roles.ConfiguredRole(memberId);
        var granted = await roles.GetGrantedRoleAsync(memberId, cancellationToken);
        var effective = (Role)Math.Max((int)configured, (int)granted);
        return new RoleCard(memberId, profile?.Username, profile?.DisplayName, Name(effective), Name(configured), granted == Role.Reader ? null : Name(granted));
    }

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>The reply for a target that was not found; null when it was.</summary>
    public static Reply? NotFound(MemberTarget target, Texts texts, Reply usage) => target switch
    {
        MemberTarget.UnknownUsername unknown => texts.UnknownUsername(unknown.Username),
        MemberTarget.AmbiguousUsername ambiguous => texts.AmbiguousUsername(ambiguous.Username, ambiguous.MemberIds),
        MemberTarget.Invalid => usage,
        _ => null,
    };
}

/// <summary><c>/grant organizer|admin &lt;id|@username&gt;</c>: the role lives in the database (audited by <see cref="RoleService"/>).</summary>
public sealed class GrantCommand(RoleService roles, RoleDirectory directory) : IChatCommand
{
    public string Name => "grant";

    public Role Requires => Role.Admin;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usage = context.Texts.GrantUsage();
        var parts = (arguments ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Role? role = parts.Length == 2 ? parts[0].ToLowerInvariant() switch
        {
            "organizer" or "组织者" => Role.Organizer,
            "admin" or "管理员" => Role.Admin,
            _ => null,
        } : null;
        if (role is null)
        {
            return context.Reply(usage);
        }

        var target = await directory.ResolveAsync(parts[1], cancellationToken);
        if (target is not MemberTarget.Found found)
        {
            return context.Reply(RoleDirectory.NotFound(target, context.Texts, usage)!);
        }

        await roles.GrantAsync(found.MemberId, role.Value, context.MemberId, cancellationToken);
        return context.Reply(context.Texts.Granted(await directory.CardAsync(found.MemberId, found.Profile, cancellationToken)));
    }
}

/// <summary><c>/revoke &lt;id|@username&gt;</c>: removes a role granted in chat; configured roles stay in configuration.</summary>
public sealed class RevokeCommand(RoleService roles, RoleDirectory directory) : IChatCommand
{
    public string Name => "revoke";

    public Role Requires => Role.Admin;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usage = context.Texts.RevokeUsage();
        var target = await directory.ResolveAsync(arguments, cancellationToken);
        if (target is not MemberTarget.Found found)
        {
            return context.Reply(RoleDirectory.NotFound(target, context.Texts, usage)!);
        }

        var before = await roles.GetGrantedRoleAsync(found.MemberId, cancellationToken);
        var revoked = await roles.RevokeAsync(found.MemberId, context.MemberId, cancellationToken);
        var card = await directory.CardAsync(found.MemberId, found.Profile, cancellationToken);
        return context.Reply(revoked ? context.Texts.Revoked(card, RoleDirectory.Name(before)) : context.Texts.NothingToRevoke(card));
    }
}

/// <summary><c>/whoami</c>: your own id and role; admins may ask about someone else (<c>/whoami @username</c>).</summary>
public sealed class WhoAmICommand(RoleDirectory directory) : IChatCommand
{
    public string Name => "whoami";

    public Role Requires => Role.Reader;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(arguments))
        {
            var self = context.Incoming.From;
            var profile = new MemberProfile(self.UserId, self.DisplayName, self.Username, self.LanguageCode);
            return context.Reply(context.Texts.WhoAmI(await directory.CardAsync(self.UserId, profile, cancellationToken), isSelf: true));
        }

        // Someone else's role is the admins' business only.
        if (context.Role < Role.Admin)
        {
            return context.Reply(context.Texts.NotAllowed());
        }

        var target = await directory.ResolveAsync(arguments, cancellationToken);
        if (target is not MemberTarget.Found found)
        {
            return context.Reply(RoleDirectory.NotFound(target, context.Texts, context.Texts.WhoAmIUsage())!);
        }

        var card = await directory.CardAsync(found.MemberId, found.Profile, cancellationToken);
        return context.Reply(context.Texts.WhoAmI(card, isSelf: found.MemberId == context.MemberId));
    }
}
