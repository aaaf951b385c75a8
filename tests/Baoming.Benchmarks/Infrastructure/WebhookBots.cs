using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// Bot instances in webhook mode against one database, each <c>Baoming.dll run</c> in its own process, listening
/// on a port of its own choosing (<c>Http:Urls</c> http://127.0.0.1:0; the address is read from its
/// "Now listening on:" line) and ready (<c>/readyz</c> 200: database, migrations, getMe and setWebhook done).
/// </summary>
internal sealed partial class WebhookBots : IAsyncDisposable
{
    /// <summary>Any https URL will do: nothing calls it; each instance serves POST at its path.</summary>
    public const string WebhookUrl = "https://bench.invalid/telegram/webhook";

    private const string Listening = "Now listening on:";

    private readonly List<Uri> endpoints = [];

    private WebhookBots(IReadOnlyList<ChildProcess> processes, string secret)
    {
        Processes = processes;
        Secret = secret;
    }

    public IReadOnlyList<ChildProcess> Processes { get; }

    /// <summary>Each instance's webhook address, in the order of <see cref="Processes"/>.</summary>
    public IReadOnlyList<Uri> Endpoints => endpoints;

    public string Secret { get; }

    public bool HasExited => Processes.Any(p => p.HasExited);

    /// <param name="environment">The settings every instance shares (<see cref="Bot.Environment"/> and the scenario's own); the webhook settings are added here.</param>
    /// <param name="watch">Output lines to keep for the whole run (see <see cref="ChildProcess.Watched"/>).</param>
    public static async Task<WebhookBots> StartAsync(
        BenchContext context, IReadOnlyDictionary<string, string?> environment, int count, IReadOnlyList<string> watch, CancellationToken ct)
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = new Dictionary<string, string?>(environment)
        {
            ["Telegram__Mode"] = "Webhook",
            ["Telegram__WebhookUrl"] = WebhookUrl,
            ["Telegram__WebhookSecret"] = secret,
            ["Http__Urls"] = "http://127.0.0.1:0",
        };
        var bots = new WebhookBots([.. Enumerable.Range(0, count).Select(_ => Bot.Start(context, settings, [Listening, .. watch]))], secret);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var process in bots.Processes)
            {
                var line = await process.WaitForLineAsync(Listening, TimeSpan.FromSeconds(60), ct);
                var address = new Uri(ListeningAddress().Match(line) is { Success: true } match
                    ? match.Groups["address"].Value
                    : throw new BenchmarkFailedException($"No address in \"{line}\"."));
                await WaitUntilReadyAsync(http, address, process, TimeSpan.FromSeconds(60), ct);
                bots.endpoints.Add(new Uri(address, new Uri(WebhookUrl).AbsolutePath));
            }

            return bots;
        }
        catch
        {
            await bots.DisposeAsync();
            throw;
        }
    }

    /// <summary>User + system CPU time of all instances so far, in milliseconds.</summary>
    public double CpuMilliseconds() => Processes.Sum(p => p.CpuMilliseconds());

    public string Tails() => Bot.Tails(Processes);

    public Task StopAsync(TimeSpan grace) => Task.WhenAll(Processes.Select(p => p.StopAsync(grace)));

    public async ValueTask DisposeAsync() => await Task.WhenAll(Processes.Select(p => p.DisposeAsync().AsTask()));

    private static async Task WaitUntilReadyAsync(HttpClient http, Uri address, ChildProcess process, TimeSpan timeout, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        var last = "no answer";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(address, "/readyz"), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                last = e.Message;
            }

            if (process.HasExited || waited.Elapsed > timeout)
            {
                throw new BenchmarkFailedException($"{address} not ready within {timeout.TotalSeconds:0} s (last /readyz: {last}; exited: {process.HasExited}):\n{process.Tail()}");
            }

            await Task.Delay(50, ct);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>https?://\S+)")]
    private static partial Regex ListeningAddress();
}
