using System.Text.Json;

namespace Baoming.Broadcasts;

/// <summary>The broadcast dialogues' kinds and their stored state.</summary>
internal static class BroadcastDialogues
{
    public const string Text = "broadcast-text";
    public const string Time = "broadcast-time";

    public sealed record TextState(string Audience, long? SessionId);

    public sealed record TimeState(long BroadcastId);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static T? Read<T>(JsonElement state) => state.Deserialize<T>(Json);

    public static object Write<T>(T state) => JsonSerializer.SerializeToElement(state, Json);
}
