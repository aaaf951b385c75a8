using Microsoft.Extensions.Configuration;

namespace Baoming.Platform;

/// <summary>Where <c>run</c> listens (webhook, health, metrics, dashboard) and where people reach it.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Kestrel listen URLs, separated by semicolons, e.g. <c>http://0.0.0.0:8080</c>.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// The address people reach this service at, for dashboard links: default the webhook URL's origin,
    /// else the first listen URL.
    /// </summary>
    public string? PublicUrl { get; set; }

    public static string UrlsOf(IConfiguration configuration) =>
        configuration[$"{Section}:{nameof(Urls)}"] is { Length: > 0 } urls ? urls : DefaultUrls;

    public IEnumerable<string> ListenUrls => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The first listen URL as a browser on this machine reaches it (a wildcard host becomes localhost).</summary>
    public string LocalUrl => ToLocal(ListenUrls.First());

    /// <summary>The value when it is an absolute http or https URL, else null.</summary>
    public static Uri? AsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    /// <summary>Kestrel's "any address" hosts (0.0.0.0, +, *) as localhost.</summary>
    public static string ToLocal(string listenUrl) => listenUrl
        .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
        .Replace("://+", "://localhost", StringComparison.Ordinal)
        .Replace("://*", "://localhost", StringComparison.Ordinal);
}

public sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var bad = options.ListenUrls.Where(u => HttpOptions.AsHttpUrl(HttpOptions.ToLocal(u)) is null).ToList();
        if (!options.ListenUrls.Any() || bad.Count > 0)
        {
            return ValidateOptionsResult.Fail($"Http:Urls must be one or more http(s) URLs separated by ';', e.g. http://0.0.0.0:8080 (got '{options.Urls}').");
        }

        return options.PublicUrl is { Length: > 0 } publicUrl && HttpOptions.AsHttpUrl(publicUrl) is null
            ? ValidateOptionsResult.Fail($"Http:PublicUrl must be an absolute http(s) URL, e.g. https://bot.example.org (got '{publicUrl}').")
            : ValidateOptionsResult.Success;
    }
}
