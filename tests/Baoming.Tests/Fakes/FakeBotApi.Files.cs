using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Baoming.Tests.Fakes;

// Files users send (documents): getFile, and the download at /file/bot<token>/<file_path>, as Telegram serves them.
public sealed partial class FakeBotApi
{
    /// <summary>Telegram's limit on a file a bot downloads (getFile): 20 MB.</summary>
    public const long MaxDownloadBytes = 20L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, (string Path, byte[] Content)> files = new(StringComparer.Ordinal);
    private static int nextFileNumber;

    /// <summary>Stores a file a user is about to send; returns its file_id for <see cref="DocumentUpdate"/>.</summary>
    public string AddFile(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var number = Interlocked.Increment(ref nextFileNumber).ToString(CultureInfo.InvariantCulture);
        var fileId = "BQACAgIAAxkBfakeDocument" + number;
        files[fileId] = ($"documents/file_{number}{Path.GetExtension(fileName)}", content);
        return fileId;
    }

    /// <summary>A document message from a user in their private chat (the file first stored with <see cref="AddFile"/>).</summary>
    public static string DocumentUpdate(long userId, string fileId, string fileName, long size, string mimeType = "application/octet-stream")
    {
        var message = UserMessage(userId, Interlocked.Increment(ref incomingMessageId));
        message["document"] = new JsonObject
        {
            ["file_name"] = fileName,
            ["mime_type"] = mimeType,
            ["file_id"] = fileId,
            ["file_unique_id"] = "AgAD" + fileId[^6..],
            ["file_size"] = size,
        };
        return new JsonObject { ["message"] = message }.ToJsonString();
    }

    private Reply GetFile(Req r)
    {
        var fileId = Args.Str(r.Args, "file_id");
        if (string.IsNullOrEmpty(fileId) || !files.TryGetValue(fileId, out var file))
            return Reply.Error(400, "Bad Request: invalid file_id");
        var result = new JsonObject
        {
            ["file_id"] = fileId,
            ["file_unique_id"] = "AgAD" + fileId[^6..],
            ["file_size"] = file.Content.Length,
        };
        // Like Telegram: a file over 20 MB has no file_path and cannot be downloaded.
        if (file.Content.Length > MaxDownloadBytes)
            return Reply.Error(400, "Bad Request: file is too big");
        result["file_path"] = file.Path;
        return Reply.Ok(result);
    }

    /// <summary>GET /file/bot&lt;token&gt;/&lt;file_path&gt;: the bytes, or 404 as Telegram answers a wrong path.</summary>
    private async Task<bool> TryServeFileAsync(HttpContext context)
    {
        const string Prefix = "/file/bot";
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            return false;

        var slash = path.IndexOf('/', Prefix.Length);
        var token = slash < 0 ? "" : path[Prefix.Length..slash];
        var filePath = slash < 0 ? "" : path[(slash + 1)..];
        var file = files.Values.FirstOrDefault(f => f.Path == filePath);
        if (token != Token || file.Content is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return true;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = file.Content.Length;
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
        return true;
    }
}
