using System.Diagnostics;
using System.Net;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>What one wave of clicks measured: each click's latency, and the ones that did not redirect where they should.</summary>
/// <param name="Latencies">Milliseconds from sending the request to the response's headers, ascending.</param>
/// <param name="Seconds">From the first request sent to the last response received.</param>
/// <param name="Wrong">Answers that were not a 302 to the expected address (or failed), with the first one's description.</param>
/// <param name="LagP99">How late the generator sent its requests against their schedule, 99th percentile (ms): it kept up when small.</param>
internal sealed record ClickWave(double[] Latencies, double Seconds, int Wrong, string? FirstWrong, double LagP99)
{
    public double P50 => Statistics.Percentile(Latencies, 50);

    public double P99 => Statistics.Percentile(Latencies, 99);

    public double Max => Latencies.Length == 0 ? double.NaN : Latencies[^1];

    public double PerSecond => Latencies.Length / Seconds;
}

/// <summary>
/// Members opening their links, as a browser does: GET, no redirect followed (the 302 itself is the answer).
/// One <see cref="HttpClient"/> with pooled keep-alive connections for every member, the same for the bot and the
/// baseline: a new connection per click would measure the TCP handshake, which a reverse proxy in front of
/// the bot takes on for it.
/// </summary>
internal sealed class ClickLoad : IDisposable
{
    /// <summary>A phone's browser: not one of the link-preview robots the bot records nothing for.</summary>
    private const string UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public ClickLoad() => http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);

    /// <summary>
    /// Open loop: click i is sent at <paramref name="schedule"/>[i] (seconds from now) whatever the others are
    /// doing, so a slow server makes requests queue up and shows in the latency, as in a real rush.
    /// </summary>
    public async Task<ClickWave> RushAsync(IReadOnlyList<Uri> links, IReadOnlyList<double> schedule, string expected, CancellationToken ct)
    {
        var order = Enumerable.Range(0, links.Count).OrderBy(i => schedule[i]).ToArray();
        var latencies = new double[links.Count];
        var lags = new double[links.Count];
        var outcome = new Outcome(expected);
        var clicks = new Task[links.Count];
        var started = Stopwatch.GetTimestamp();
        for (var n = 0; n < order.Length; n++)
        {
            var i = order[n];
            var due = schedule[i];
            while (Stopwatch.GetElapsedTime(started).TotalSeconds < due)
            {
                // ~1 ms timer: the schedule is kept to within a millisecond or two, which the lag figure shows.
                await Task.Delay(1, ct);
            }

            lags[i] = (Stopwatch.GetElapsedTime(started).TotalSeconds - due) * 1000;
            clicks[n] = ClickAsync(links[i], latencies, i, outcome, ct);
        }

        await Task.WhenAll(clicks);
        return outcome.Wave(latencies, lags);
    }

    /// <summary>Closed loop, as fast as the server answers: <paramref name="concurrency"/> members clicking one after another.</summary>
    public async Task<ClickWave> FlatOutAsync(IReadOnlyList<Uri> links, int concurrency, string expected, CancellationToken ct)
    {
        var latencies = new double[links.Count];
        var outcome = new Outcome(expected);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < links.Count; i = Interlocked.Increment(ref next))
            {
                await ClickAsync(links[i], latencies, i, outcome, ct);
            }
        }));
        return outcome.Wave(latencies, new double[links.Count]);
    }

    private async Task ClickAsync(Uri link, double[] latencies, int i, Outcome outcome, CancellationToken ct)
    {
        var sent = Stopwatch.GetTimestamp();
        outcome.Sent(sent);
        try
        {
            using var response = await http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead, ct);
            var received = Stopwatch.GetTimestamp();
            latencies[i] = Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds;
            outcome.Received(received);
            if (response.StatusCode != HttpStatusCode.Found || response.Headers.Location?.OriginalString != outcome.Expected)
            {
                outcome.Wrong($"{link.AbsolutePath}: {(int)response.StatusCode} → {response.Headers.Location}");
            }
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // Refused, reset, or no answer within the client's 30 s: a click that did not get its redirect.
            latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            outcome.Wrong($"{link.AbsolutePath}: {e.Message}");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>The first send, the last answer and the wrong answers of a wave, from many clicks at once.</summary>
    private sealed class Outcome(string expected)
    {
        private readonly Lock gate = new();
        private long first = long.MaxValue;
        private long last;
        private int wrong;
        private string? firstWrong;

        public string Expected => expected;

        public void Sent(long at)
        {
            lock (gate) first = Math.Min(first, at);
        }

        public void Received(long at)
        {
            lock (gate) last = Math.Max(last, at);
        }

        public void Wrong(string what)
        {
            lock (gate)
            {
                wrong++;
                firstWrong ??= what;
            }
        }

        public ClickWave Wave(double[] latencies, double[] lags)
        {
            Array.Sort(latencies);
            Array.Sort(lags);
            lock (gate)
            {
                return new ClickWave(latencies, Stopwatch.GetElapsedTime(first, Math.Max(last, first)).TotalSeconds, wrong, firstWrong, Statistics.Percentile(lags, 99));
            }
        }
    }
}
