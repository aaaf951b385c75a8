using System.Globalization;
using Baoming.Chat;
using Baoming.Cli;
using Baoming.Core;
using Baoming.Hosting;
using Baoming.Jobs;
using Baoming.Members;
using Baoming.Messaging;

namespace Baoming.Shell;

public sealed record ShellSettings(string Role, long? UserId, string? Name, string Language)
{
    public bool IsDemo { get; init; }

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
/// <c>shell</c>: a terminal chat with the same engine the Telegram adapter uses, on the same
/// database. Reads lines from standard input, so it can be scripted.
/// </summary>
internal static class ShellCommand
{
    public static Task<int> RunAsync(ShellSettings settings, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>();
        if (settings.Role is "admin" or "organizer")
        {
            // The shell's member holds the role it asked for, beside any configured ones.
            var section = settings.Role == "admin" ? "Community:Admins" : "Community:Organizers";
            overrides[$"{section}:1000"] = settings.MemberId.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.IsDemo)
        {
            // A session two minutes away, reminded 90 and 60 seconds before: reminders arrive while you watch.
            const string Demo = "Sessions:90:";
            overrides[Demo + "Key"] = "demo";
            overrides[Demo + "Title"] = "演示场次（两分钟后开始）";
            overrides[Demo + "Aliases:0"] = "演示";
            overrides[Demo + "Aliases:1"] = "demo";
            overrides[Demo + "StartsAt"] = DateTimeOffset.UtcNow.AddMinutes(2).ToString("O", CultureInfo.InvariantCulture);
            overrides[Demo + "DurationMinutes"] = "30";
            overrides[Demo + "JoinUrl"] = "https://meeting.example.com/demo";
            overrides[Demo + "ReminderOffsets:0"] = "00:01:30";
            overrides[Demo + "ReminderOffsets:1"] = "00:01:00";
        }

        var builder = BaomingHost.CreateBuilder(overrides, isShell: true);
        var messenger = new ShellMessenger(Console.Out) { ChatId = settings.MemberId };
        return HostRunner.RunAsync(
            builder,
            b => b.Services.AddSingleton<IMessenger>(messenger).AddJobServer(),
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
            cancellationToken);
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
