using System.Net.Http.Json;
using System.Text.Json;
using Telegram.Bot.Requests;
using Telegram.Bot.Types.Enums;

namespace Baoming.Telegram.Intake;

/// <summary>
/// getUpdates answered as Telegram's own JSON, one element per update. The library's
/// <c>GetUpdates</c> returns its <c>Update</c> objects, which drop fields it does not know and turn
/// enum values it does not know into 0; the inbox keeps what Telegram sent. The client still does
/// the call: URL, token, errors (<c>ApiRequestException</c>) as for every other method.
/// </summary>
public sealed class RawUpdatesRequest() : RequestBase<JsonElement[]>("getUpdates")
{
    public int Offset { get; init; }

    public int Limit { get; init; } = 100;

    public int Timeout { get; init; }

    public IReadOnlyList<UpdateType> AllowedUpdates { get; init; } = [];

    public override HttpContent ToHttpContent() => JsonContent.Create(new Dictionary<string, object>
    {
        ["offset"] = Offset,
        ["limit"] = Limit,
        ["timeout"] = Timeout,
        ["allowed_updates"] = AllowedUpdates.Select(ToApiName).ToArray(),
    });

    /// <summary>Bot API names are snake_case: CallbackQuery → callback_query.</summary>
    private static string ToApiName(UpdateType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());
}
