using System.Diagnostics.Metrics;
using Baoming.Core.Signup;
using Baoming.Messaging;

namespace Baoming.Metrics;

/// <summary>
/// Baoming's counters (meter <see cref="MeterName"/>), created through the host's <see cref="IMeterFactory"/>
/// so that each host counts on its own, even several in one process (the tests). The instrument names
/// become Prometheus names in <see cref="MetricsCollector"/>: "baoming.signups" → <c>baoming_signups_total</c>.
/// </summary>
public sealed class BaomingMetrics : IDisposable
{
    public const string MeterName = "Baoming";

    private static readonly string[] SignupOutcomes = ["confirmed", "waitlisted", "already", "closed", "cancelled", "promoted"];
    private static readonly string[] SendOutcomes = ["sent", "blocked", "failed", "unknown"];
    private static readonly string[] SkipReasons = ["refused", "unreadable", "flood"];
    private static readonly string[] WebhookOutcomes = ["stored", "duplicate", "unauthorized", "malformed", "unavailable"];

    private readonly MetricsCollector collector;
    private readonly Counter<long> signups;
    private readonly Counter<long> messagesSent;
    private readonly Counter<long> messagesThrottled;
    private readonly Counter<long> updatesHandled;
    private readonly Counter<long> updatesSkipped;
    private readonly Counter<long> webhookRequests;

    public BaomingMetrics(IMeterFactory meterFactory)
    {
        // Listens before the first measurement, so the series started at 0 below are seen too.
        collector = new MetricsCollector(meterFactory);
        var meter = meterFactory.Create(MeterName);
        signups = meter.CreateCounter<long>("baoming.signups",
            description: "Sign-up requests by decision (confirmed, waitlisted, already, closed), and registrations cancelled or promoted from the waitlist.");
        messagesSent = meter.CreateCounter<long>("baoming.messages.sent",
            description: "Messages and documents sent to Telegram, replies and fan-out alike, by outcome.");
        messagesThrottled = meter.CreateCounter<long>("baoming.messages.throttled",
            description: "429 answers from Telegram: the send was tried again after retry_after (a reply queued meanwhile).");
        updatesHandled = meter.CreateCounter<long>("baoming.updates.handled",
            description: "Telegram updates handled by this instance.");
        updatesSkipped = meter.CreateCounter<long>("baoming.updates.skipped",
            description: "Telegram updates not acted on, by reason: refused (PostgreSQL would not store it), unreadable (not an update the bot can read), flood (a member writing too fast).");
        webhookRequests = meter.CreateCounter<long>("baoming.webhook.requests",
            description: "Webhook requests from Telegram by outcome (stored, duplicate, unauthorized, malformed, unavailable).");

        // Every series exists from the start, at 0: a series that appears only on its first
        // increment hides that increment from rate() and increase().
        foreach (var outcome in SignupOutcomes)
        {
            signups.Add(0, Outcome(outcome));
        }

        foreach (var outcome in SendOutcomes)
        {
            messagesSent.Add(0, Outcome(outcome));
        }

        foreach (var reason in SkipReasons)
        {
            updatesSkipped.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var outcome in WebhookOutcomes)
        {
            webhookRequests.Add(0, Outcome(outcome));
        }

        messagesThrottled.Add(0);
        updatesHandled.Add(0);
    }

    /// <summary>This host's counters as metric families, for the exporter.</summary>
    public IReadOnlyList<MetricFamily> Collect() => collector.Collect();

    public void Dispose() => collector.Dispose();

    /// <summary>A sign-up request was decided and committed.</summary>
    public void SignupDecided(SignupDecision decision) => signups.Add(1, Outcome(decision switch
    {
        SignupDecision.Confirm => "confirmed",
        SignupDecision.Waitlist => "waitlisted",
        SignupDecision.AlreadyConfirmed or SignupDecision.AlreadyWaitlisted => "already",
        _ => "closed",
    }));

    /// <summary>A member's registration was cancelled (committed).</summary>
    public void RegistrationCancelled() => signups.Add(1, Outcome("cancelled"));

    /// <summary><paramref name="count"/> waitlisted members were moved up (committed).</summary>
    public void Promoted(int count)
    {
        if (count > 0)
        {
            signups.Add(count, Outcome("promoted"));
        }
    }

    /// <summary>A send to Telegram ended with <paramref name="status"/>.</summary>
    public void MessageSent(SendStatus status) => messagesSent.Add(1, Outcome(status switch
    {
        SendStatus.Sent => "sent",
        SendStatus.Blocked => "blocked",
        SendStatus.Failed => "failed",
        _ => "unknown",
    }));

    /// <summary>Telegram answered 429 Too Many Requests.</summary>
    public void MessageThrottled() => messagesThrottled.Add(1);

    /// <summary>An update was handled (for the inbox processor).</summary>
    public void UpdateHandled() => updatesHandled.Add(1);

    /// <summary>An update was recorded and not acted on; <paramref name="reason"/> is one of refused, unreadable, flood.</summary>
    public void UpdateSkipped(string reason) => updatesSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A webhook request ended; <paramref name="outcome"/> is one of stored, duplicate, unauthorized, malformed, unavailable.</summary>
    public void WebhookReceived(string outcome) => webhookRequests.Add(1, Outcome(outcome));

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
