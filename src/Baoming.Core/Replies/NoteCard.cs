namespace Baoming.Core.Replies;

/// <summary>
/// A reader's word to the organizers, as the organizers see it: who wrote it (the name Telegram gave,
/// the @username when they have one) and when. <paramref name="Text"/> is the reader's own, unescaped:
/// every note text is sent as plain text.
/// </summary>
public sealed record NoteCard(long Id, long AuthorId, string? AuthorName, string? AuthorUsername, string Text, DateTimeOffset CreatedAt);
