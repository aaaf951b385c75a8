using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// Telegram delivering updates to a webhook: each update is POSTed as JSON with the secret header, over at most
/// <see cref="Connections"/> requests at a time in all, to the instances in turn (round-robin per request, as a
/// load balancer in front of them would), so one chat's updates reach different instances. A 2xx answer means
/// stored; anything else (or no answer) is counted and the update is sent again, to the next instance, after a
/// short wait — Telegram too retries until it gets a 2xx.
/// </summary>
internal sealed class WebhookTelegram : IUpdateFeed, IAsyncDisposable
{
    /// <summary>setWebhook's max_connections default (https://core.telegram.org/bots/api#setwebhook).</summary>
    public const int Connections = 40;

    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly IReadOnlyList<Uri> endpoints;
    private readonly string secret;
    private readonly HttpClient http;
    private readonly Channel<(long Id, byte[] Json)> queue = Channel.CreateUnbounded<(long Id, byte[] Json)>();
    private readonly ConcurrentDictionary<long, (long At, int Instance)> stored = new();
    private readonly ConcurrentDictionary<int, int> refusals = new();
    private readonly int[] storedBy;
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] senders;
    private long lastUpdateId;
    private int turn = -1;
    private int pending;
    private int failures;

    /// <param name="endpoints">Each instance's webhook address, e.g. http://127.0.0.1:PORT/telegram/webhook.</param>
    public WebhookTelegram(IReadOnlyList<Uri> endpoints, string secret)
    {
        this.endpoints = endpoints;
        this.secret = secret;
        storedBy = new int[endpoints.Count];
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        senders = [.. Enumerable.Range(0, Connections).Select(_ => SendAsync(stop.Token))];
    }

    public int PendingUpdates => Volatile.Read(ref pending);

    /// <summary>Answers other than 2xx, by status code: each was retried.</summary>
    public IReadOnlyDictionary<int, int> Refusals => new Dictionary<int, int>(refusals);

    /// <summary>Requests that got no answer at all (connection refused or reset, timeout): each was retried.</summary>
    public int Failures => Volatile.Read(ref failures);

    /// <summary>Deliveries that had to be retried: <see cref="Refusals"/> and <see cref="Failures"/> together.</summary>
    public int Retries => refusals.Values.Sum() + Failures;

    /// <summary>Updates stored (answered 2xx), per instance in the order of the endpoints.</summary>
    public IReadOnlyList<int> StoredBy => [.. storedBy];

    /// <summary>E.g. "0 retried" or "12 retried (503 × 10, no answer × 2)".</summary>
    public string DescribeRetries()
    {
        var causes = refusals.OrderBy(r => r.Key).Select(r => $"{r.Key} × {r.Value}").ToList();
        if (Failures > 0)
        {
            causes.Add($"no answer × {Failures}");
        }

        return causes.Count == 0 ? "0 retried" : $"{Retries} retried ({string.Join(", ", causes)})";
    }

    public long Offer(string updateBody)
    {
        var id = Interlocked.Increment(ref lastUpdateId);
        Interlocked.Increment(ref pending);
        queue.Writer.TryWrite((id, Encoding.UTF8.GetBytes($$"""{"update_id":{{id}},{{updateBody}}""")));
        return id;
    }

    public long? DeliveredAt(long updateId) => stored.TryGetValue(updateId, out var entry) ? entry.At : null;

    /// <summary>The instance (0-based, in the order of the endpoints) that stored the update, or null.</summary>
    public int? StoredOn(long updateId) => stored.TryGetValue(updateId, out var entry) ? entry.Instance : null;

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(senders);
        }
        catch (OperationCanceledException)
        {
        }

        http.Dispose();
        stop.Dispose();
    }

    /// <summary>One of the <see cref="Connections"/> senders: takes the next update and delivers it, retrying until an instance stores it.</summary>
    private async Task SendAsync(CancellationToken ct)
    {
        await foreach (var (id, json) in queue.Reader.ReadAllAsync(ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                var instance = (int)((uint)Interlocked.Increment(ref turn) % (uint)endpoints.Count);
                if (await PostAsync(endpoints[instance], json, ct))
                {
                    stored.TryAdd(id, (Stopwatch.GetTimestamp(), instance));
                    Interlocked.Increment(ref storedBy[instance]);
                    Interlocked.Decrement(ref pending);
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt)), ct);
            }
        }
    }

    private async Task<bool> PostAsync(Uri endpoint, byte[] json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(SecretHeader, secret);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            refusals.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            return false;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            Interlocked.Increment(ref failures);
            return false;
        }
    }
}
