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

    /// <summary>A file sent as a document (e.g. an attendance list); <see cref="FileId"/> is the channel's handle to download it.</summary>
    public sealed record Document(string FileId, string? FileName, long? Size) : Incoming;

    /// <summary>A sticker, photo, voice note or anything else without text.</summary>
    public sealed record Other : Incoming;
}

/// <summary>
/// A file to send, e.g. a calendar entry or an export. The channel sends <see cref="Content"/> and then
/// disposes it, so a handler may hand over an open file.
/// </summary>
public sealed record OutgoingDocument(long ChatId, string FileName, Stream Content, string? Caption = null)
{
    /// <summary>Said to the chat instead when the channel could not deliver the document; null says nothing.</summary>
    public Reply? IfNotSent { get; init; }
}

/// <summary>What the engine answers: messages to send, and for a button press a short notice shown on the button.</summary>
public sealed record Response(IReadOnlyList<Outgoing> Messages, string? ButtonNotice = null)
{
    /// <summary>Files sent after the messages; the channel closes each one's stream, sent or not.</summary>
    public IReadOnlyList<OutgoingDocument> Documents { get; init; } = [];

    public static Response None { get; } = new([]);

    public static Response To(long chatId, Reply reply) => new([new Outgoing(chatId, reply)]);
}
