using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Messaging;

namespace Baoming.Shell;

/// <summary>
/// The terminal as a chat channel. Buttons become numbered choices; typing the number presses the
/// button. Messages sent later by background work (promotions, reminders) print as they arrive.
/// </summary>
public sealed class ShellMessenger(TextWriter output) : IMessenger
{
    private readonly Lock gate = new();
    private List<Button> choices = [];
    private long nextMessageId;

    /// <summary>The member at this terminal; messages to other members are shown as such.</summary>
    public long ChatId { get; set; }

    public Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var text = message.Reply.IsHtml ? Core.Organizers.TelegramHtml.ToPlain(message.Reply.Text) : message.Reply.Text;
            if (message.ChatId != ChatId)
            {
                output.WriteLine($"  (→ member {message.ChatId}: {text.ReplaceLineEndings(" ")})");
                return Task.FromResult(SendOutcome.Sent(Interlocked.Increment(ref nextMessageId)));
            }

            output.WriteLine();
            foreach (var line in text.Split('\n'))
            {
                output.WriteLine("🤖 " + line);
            }

            var buttons = message.Reply.Buttons.ToList();
            if (buttons.Count > 0)
            {
                choices = buttons;
                for (var i = 0; i < buttons.Count; i++)
                {
                    var target = buttons[i].Url is { } url ? $"  → {url}" : "";
                    output.WriteLine($"   [{i + 1}] {buttons[i].Text}{target}");
                }
            }

            output.Flush();
            return Task.FromResult(SendOutcome.Sent(Interlocked.Increment(ref nextMessageId)));
        }
    }

    /// <summary>Nobody at a terminal sends files: the caller says so (and points to the command line).</summary>
    public Task<Download> DownloadAsync(string fileId, long maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(new Download(DownloadStatus.NotSupported));

    /// <summary>The shell saves documents into <see cref="DownloadFolder"/> and says where.</summary>
    public string DownloadFolder { get; set; } = Path.Combine(Environment.CurrentDirectory, "baoming-files");

    public async Task<SendOutcome> SendDocumentAsync(long chatId, string fileName, Stream content, string? caption, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DownloadFolder);
        var path = Path.Combine(DownloadFolder, Path.GetFileName(fileName));
        await using (var file = File.Create(path))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        Note($"📎 {fileName} → {path}{(caption is null ? "" : " — " + caption)}");
        return SendOutcome.Sent(Interlocked.Increment(ref nextMessageId));
    }

    /// <summary>The terminal cannot change what it printed: an edit prints the new version below.</summary>
    public Task<bool> EditAsync(long chatId, long messageId, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Note((chatId == ChatId ? "✎ " : $"(✎ member {chatId}) ") + reply.Text.ReplaceLineEndings(" "));
        return Task.FromResult(true);
    }

    public Task AnswerButtonAsync(string buttonPressId, string? notice, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The button shown under number <paramref name="number"/> in the latest message with buttons.</summary>
    public Button? Choice(int number)
    {
        lock (gate)
        {
            return number >= 1 && number <= choices.Count ? choices[number - 1] : null;
        }
    }

    public void Note(string text)
    {
        lock (gate)
        {
            output.WriteLine("   " + text);
            output.Flush();
        }
    }
}
