using Baoming.Core.Replies;

namespace Baoming.Core;

/// <summary>The member who wrote, as their chat app describes them.</summary>
public sealed record Sender(long UserId, string DisplayName, string? Username = null, string? LanguageCode = null)
{
    public Language Language => Languages.FromTelegramCode(LanguageCode);
}

/// <summary>Something a member did in a chat, in the engine's own terms (no Telegram types).</summary>
public abstract record Incoming
{
    private Incoming()
    {
    }

    public required Sender From { get; init; }

    /// <summary>The chat it happened in; for a private chat this is the member's own id.</summary>
    public required long ChatId { get; init; }

    public bool IsPrivate { get; init; } = true;

    public sealed record Text(string Content) : Incoming;

    /// <summary>A press of an inline button; <see cref="Data"/> is whatever the client sent and may be forged.</summary>
    public sealed record ButtonPress(string? Data) : Incoming;

    /// <summary>A sticker, photo, voice note or anything else without text.</summary>
    public sealed record Other : Incoming;
}

/// <summary>A file to send, e.g. a calendar entry or an export.</summary>
public sealed record OutgoingDocument(long ChatId, string FileName, byte[] Content, string? Caption = null);

/// <summary>What the engine answers: messages to send, and for a button press a short notice shown on the button.</summary>
public sealed record Response(IReadOnlyList<Outgoing> Messages, string? ButtonNotice = null)
{
    public IReadOnlyList<OutgoingDocument> Documents { get; init; } = [];

    public static Response None { get; } = new([]);

    public static Response To(long chatId, Reply reply) => new([new Outgoing(chatId, reply)]);
}
