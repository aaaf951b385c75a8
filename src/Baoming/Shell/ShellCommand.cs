using System.Globalization;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Cli;
using Baoming.Community;
using Baoming.Core;
using Baoming.Hosting;
using Baoming.Jobs;
using Baoming.Members;
using Baoming.Messaging;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Baoming.Shell;

public sealed record ShellSettings(string Role, long? UserId, string? Name, string Language)
{
    public bool IsDemo { get; init; }

    /// <summary>Whether the shell may chat on a configured database (one it did not start): <c>--allow-production</c>.</summary>
    public bool IsProductionAllowed { get; init; }

    /// <summary>Each role has its own default member, so trying roles does not mix up sign-ups.</summary>
    public long MemberId => UserId ?? Role switch
    {
        "admin" => 9_000_000_001,
        "organizer" => 9_000_000_002,
        _ => 9_000_000_003,
    };

    public string DisplayName => Name ?? Role switch
    {
        "admin" => "管理员",
        "organizer" => "组织者",
        _ => "读者",
    };
}

/// <summary>
/// <c>shell</c>: a terminal chat with the same engine the Telegram adapter uses. Reads lines from
/// standard input, so it can be scripted. On its own (embedded) database it is a complete bot: its job
/// server sends reminders and broadcasts into the terminal. On a database it did not start it only
/// chats: that database's jobs belong to the bot, whose members would otherwise never get them.
/// </summary>
internal static class ShellCommand
{
    public const string AllowProductionFlag = "--allow-production";

    public static Task<int> RunAsync(ShellSettings settings, CancellationToken cancellationToken)
    {
        var builder = BaomingHost.CreateBuilder(isShell: true);
        var isOwnDatabase = BaomingHost.UsesEmbeddedDatabase(builder.Configuration);
        if (!isOwnDatabase && Refusal(settings) is { } refusal)
        {
            Console.Error.WriteLine(refusal);
            return Task.FromResult(HostRunner.ConfigurationError);
        }

        if (isOwnDatabase && !ListSettings.IsSet(builder.Configuration, "Sessions"))
        {
            // Nothing configures sessions: a fresh machine. The sample's sessions give it something to sign up for.
            builder.Configuration.AddInMemoryCollection(ExampleSessions.Load(DateTimeOffset.UtcNow));
        }

        if (settings.IsDemo)
        {
            // Beside the sessions, whichever source gave them: added after the one-source rule on purpose.
            builder.Configuration.AddInMemoryCollection(DemoSession());
        }

        if (!isOwnDatabase)
        {
            var database = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("Postgres"));
            Console.Error.WriteLine(
                $"Baoming shell on database {database.Database} at {database.Host} (not the shell's own): its jobs are left to the bot; "
                + $"your actions are audited as {Environment.UserName}.");
        }

        var messenger = new ShellMessenger(Console.Out) { ChatId = settings.MemberId };
        return HostRunner.RunAsync(
            builder,
            b =>
            {
                b.Services.AddSingleton<IMessenger>(messenger);
                // The shell's member holds the role it asked for, beside the configured ones.
                if (settings.Role is "admin" or "organizer")
                {
                    b.Services.PostConfigure<CommunityOptions>(o => (settings.Role == "admin" ? o.Admins : o.Organizers).Add(settings.MemberId));
                }

                if (isOwnDatabase)
                {
                    b.Services.AddJobRunners();
                }
            },
            async (host, ct) =>
            {
                await host.StartAsync(ct);
                try
                {
                    await ChatAsync(host.Services, settings, messenger, ct);
                }
                finally
                {
                    await host.StopAsync(CancellationToken.None);
                }

                return 0;
            },
            connectionString => AuditLog.AttributedTo(connectionString, Environment.UserName),
            cancellationToken);
    }

    /// <summary>Why the shell will not chat on a database it did not start, or null when it may.</summary>
    private static string? Refusal(ShellSettings settings) => settings switch
    {
        { IsDemo: true } =>
            "shell --demo needs the shell's own database, but ConnectionStrings:Postgres names another (the demo would add its session there); "
            + "leave ConnectionStrings:Postgres empty for the demo.",
        { IsProductionAllowed: false } =>
            "shell refuses the database ConnectionStrings:Postgres names, as it did not start it (chats there act on real members and sessions); "
            + $"add {AllowProductionFlag} to chat there anyway (jobs stay with the bot), or leave ConnectionStrings:Postgres empty to use the shell's own database.",
        _ => null,
    };

    /// <summary>A session two minutes away, reminded 90 and 60 seconds before: reminders arrive while you watch.</summary>
    private static Dictionary<string, string?> DemoSession()
    {
        const string Demo = "Sessions:90:";
        return new()
        {
            [Demo + "Key"] = "demo",
            [Demo + "Title"] = "演示场次（两分钟后开始）",
            [Demo + "Aliases:0"] = "演示",
            [Demo + "Aliases:1"] = "demo",
            [Demo + "StartsAt"] = DateTimeOffset.UtcNow.AddMinutes(2).ToString("O", CultureInfo.InvariantCulture),
            [Demo + "DurationMinutes"] = "30",
            [Demo + "JoinUrl"] = "https://meeting.example.com/demo",
            [Demo + "ReminderOffsets:0"] = "00:01:30",
            [Demo + "ReminderOffsets:1"] = "00:01:00",
        };
    }

    private static async Task ChatAsync(IServiceProvider services, ShellSettings settings, ShellMessenger messenger, CancellationToken cancellationToken)
    {
        var sender = new Sender(settings.MemberId, settings.DisplayName, $"shell_{settings.Role}", settings.Language == "en" ? "en" : "zh-hans");
        await services.GetRequiredService<MemberRepository>().UpsertAsync(
            [new MemberProfile(sender.UserId, sender.DisplayName, sender.Username, sender.LanguageCode)], cancellationToken);
        var conversation = services.GetRequiredService<Conversation>();

        var interactive = !Console.IsInputRedirected;
        await Console.Out.WriteLineAsync(settings.Language == "en"
            ? $"Baoming shell: you are {sender.DisplayName} (member {sender.UserId}, {settings.Role}). Type \"sign up\" to start, a number to press a button, Ctrl-D to quit."
            : $"Baoming 终端聊天：你是「{sender.DisplayName}」（成员 {sender.UserId}，{settings.Role}）。输入「报名」开始，输入数字按按钮，Ctrl-D 退出。");

        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive)
            {
                await Console.Out.WriteAsync("> ");
            }

            var line = await Console.In.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                if (settings.IsDemo && !interactive)
                {
                    // Scripted demo: stay until the session has started, so its reminders arrive here.
                    messenger.Note("（等待演示场次的提醒…）");
                    await Task.Delay(TimeSpan.FromSeconds(70), cancellationToken);
                }

                return;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!interactive)
            {
                await Console.Out.WriteLineAsync("> " + line);
            }

            Incoming incoming;
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && messenger.Choice(number) is { } button)
            {
                if (button.Url is { } url)
                {
                    messenger.Note($"(opens {url})");
                    continue;
                }

                incoming = new Incoming.ButtonPress(button.Data) { From = sender, ChatId = sender.UserId };
            }
            else
            {
                incoming = new Incoming.Text(line) { From = sender, ChatId = sender.UserId };
            }

            var response = await conversation.HandleAsync(incoming, cancellationToken);
            if (response.Messages.Count == 0 && response.ButtonNotice is { } notice)
            {
                messenger.Note($"（{notice}）");
            }

            await messenger.DeliverAsync(response, buttonPressId: null, cancellationToken);
        }
    }
}
