using System.Text.Json;
using Baoming.Members;
using Baoming.Storage;

namespace Baoming.Telegram;

/// <summary>
/// An update as it arrived: Telegram's own JSON (cleaned only of what PostgreSQL refuses, see
/// <see cref="PostgresText.CleanJson"/>) and the few things intake needs, read straight from that
/// JSON rather than from Telegram.Bot's types. A field or an enum value newer than the library is
/// kept as sent and cannot stop intake: the library reads the update later, when it is handled, and
/// an update it cannot read is skipped there, alone.
/// </summary>
public sealed record ReceivedUpdate(long UpdateId, string Kind, long ChatId, string? ChatType, MemberProfile? Sender, string Json)
{
    /// <summary>The update in <paramref name="json"/>, or null when it is not one (no numeric update_id, not an object).</summary>
    public static ReceivedUpdate? Read(string json)
    {
        json = PostgresText.CleanJson(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The update in an element of getUpdates' result (its raw text is what Telegram sent).</summary>
    public static ReceivedUpdate? Read(JsonElement element)
    {
        var raw = element.GetRawText();
        var json = PostgresText.CleanJson(raw);
        // Parsed again only when cleaning changed it; the usual update is read from the batch's element.
        return ReferenceEquals(json, raw) ? Read(element, json) : Read(json);
    }

    private static ReceivedUpdate? Read(JsonElement root, string json)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("update_id", out var id)
            || id.ValueKind != JsonValueKind.Number
            || !id.TryGetInt64(out var updateId))
        {
            return null;
        }

        // An update has one payload besides its id; its name says what kind of update it is.
        var (kind, body) = root.EnumerateObject()
            .Where(p => p.Name != "update_id" && p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => (p.Name, p.Value))
            .FirstOrDefault();
        if (kind is null)
        {
            return new ReceivedUpdate(updateId, "", 0, null, null, json);
        }

        var from = Object(body, "from");
        var chat = Object(body, "chat") ?? Object(Object(body, "message"), "chat");
        // A button press is ordered with its presser's private chat, whichever chat the button is in.
        var chatId = kind == "callback_query" ? Long(from, "id") : Long(chat, "id") ?? Long(from, "id");
        var chatType = String(chat, "type");
        return new ReceivedUpdate(updateId, kind, chatId ?? 0, chatType, SenderOf(kind, from, chatType), json);
    }

    /// <summary>
    /// A person who wrote or pressed a button in their private chat with the bot (never a bot): the profile
    /// the members table keeps. Only a private chat makes a member — the "everyone" a broadcast reaches is
    /// who started the bot, not who spoke in a group it sits in. A button press without a message (an inline
    /// message) is the presser's own.
    /// </summary>
    private static MemberProfile? SenderOf(string kind, JsonElement? from, string? chatType)
    {
        var isPrivate = kind switch
        {
            "message" => chatType == "private",
            "callback_query" => chatType is null or "private",
            _ => false,
        };
        if (!isPrivate || Long(from, "id") is not { } id
            || (from!.Value.TryGetProperty("is_bot", out var isBot) && isBot.ValueKind == JsonValueKind.True))
        {
            return null;
        }

        var first = String(from, "first_name") ?? "";
        var last = String(from, "last_name");
        var name = string.IsNullOrWhiteSpace(last) ? first : $"{first} {last}";
        return new MemberProfile(id, name, String(from, "username"), String(from, "language_code"));
    }

    private static JsonElement? Object(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static long? Long(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static string? String(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
