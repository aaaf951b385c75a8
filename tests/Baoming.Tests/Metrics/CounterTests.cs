using Baoming.Core.Signup;
using Baoming.Messaging;
using Baoming.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Metrics;

/// <summary>Counters as the exporter writes them, without a database or a bot.</summary>
public sealed class CounterTests
{
    private static ServiceProvider NewHost() => new ServiceCollection().AddBaomingMetrics().BuildServiceProvider();

    private static string Counters(IServiceProvider host) => PrometheusText.Write(host.GetRequiredService<BaomingMetrics>().Collect());

    [Fact]
    public void Every_counter_and_outcome_is_exported_from_the_start_and_moves_when_recorded()
    {
        using var host = NewHost();
        var metrics = host.GetRequiredService<BaomingMetrics>();

        metrics.SignupDecided(new SignupDecision.Confirm());
        metrics.SignupDecided(new SignupDecision.Confirm());
        metrics.SignupDecided(new SignupDecision.AlreadyWaitlisted(2));
        metrics.Promoted(3);
        metrics.MessageSent(SendStatus.Sent);
        metrics.MessageSent(SendStatus.Blocked);
        metrics.MessageThrottled();
        metrics.UpdateHandled();
        metrics.UpdateSkipped("unreadable");
        metrics.WebhookReceived("unauthorized");

        Assert.Equal("""
            # HELP baoming_messages_sent_total Messages and documents sent to Telegram, replies and fan-out alike, by outcome.
            # TYPE baoming_messages_sent_total counter
            baoming_messages_sent_total{outcome="blocked"} 1
            baoming_messages_sent_total{outcome="failed"} 0
            baoming_messages_sent_total{outcome="sent"} 1
            baoming_messages_sent_total{outcome="unknown"} 0
            # HELP baoming_messages_throttled_total 429 answers from Telegram: the send was tried again after retry_after (a reply queued meanwhile).
            # TYPE baoming_messages_throttled_total counter
            baoming_messages_throttled_total 1
            # HELP baoming_signups_total Sign-up requests by decision (confirmed, waitlisted, already, closed), and registrations cancelled or promoted from the waitlist.
            # TYPE baoming_signups_total counter
            baoming_signups_total{outcome="already"} 1
            baoming_signups_total{outcome="cancelled"} 0
            baoming_signups_total{outcome="closed"} 0
            baoming_signups_total{outcome="confirmed"} 2
            baoming_signups_total{outcome="promoted"} 3
            baoming_signups_total{outcome="waitlisted"} 0
            # HELP baoming_updates_handled_total Telegram updates handled by this instance.
            # TYPE baoming_updates_handled_total counter
            baoming_updates_handled_total 1
            # HELP baoming_updates_skipped_total Telegram updates not acted on, by reason: refused (PostgreSQL would not store it), unreadable (not an update the bot can read), flood (a member writing too fast).
            # TYPE baoming_updates_skipped_total counter
            baoming_updates_skipped_total{reason="flood"} 0
            baoming_updates_skipped_total{reason="refused"} 0
            baoming_updates_skipped_total{reason="unreadable"} 1
            # HELP baoming_webhook_requests_total Webhook requests from Telegram by outcome (stored, duplicate, unauthorized, malformed, unavailable).
            # TYPE baoming_webhook_requests_total counter
            baoming_webhook_requests_total{outcome="duplicate"} 0
            baoming_webhook_requests_total{outcome="malformed"} 0
            baoming_webhook_requests_total{outcome="stored"} 0
            baoming_webhook_requests_total{outcome="unauthorized"} 1
            baoming_webhook_requests_total{outcome="unavailable"} 0

            """, Counters(host));
    }

    [Fact]
    public void Hosts_in_one_process_count_only_their_own_measurements()
    {
        using var first = NewHost();
        using var second = NewHost();

        first.GetRequiredService<BaomingMetrics>().UpdateHandled();
        first.GetRequiredService<BaomingMetrics>().UpdateHandled();
        second.GetRequiredService<BaomingMetrics>().UpdateHandled();

        Assert.Contains("\nbaoming_updates_handled_total 2\n", Counters(first));
        Assert.Contains("\nbaoming_updates_handled_total 1\n", Counters(second));
    }

    [Fact]
    public void Adding_the_metrics_twice_registers_them_once()
    {
        var services = new ServiceCollection().AddBaomingMetrics().AddBaomingMetrics();

        Assert.Single(services, s => s.ServiceType == typeof(BaomingMetrics));
        Assert.Single(services, s => s.ServiceType == typeof(MetricsExporter));
    }
}
