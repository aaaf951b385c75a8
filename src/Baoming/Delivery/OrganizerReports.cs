using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Messaging;
using Dapper;
using Npgsql;

namespace Baoming.Delivery;

/// <summary>
/// Short reports to every organizer and admin (configured or granted), each sent at most once per
/// topic through the ledger, so a retried job does not repeat them.
/// </summary>
public sealed class OrganizerReports(
    NpgsqlDataSource dataSource,
    DeliveryLedger ledger,
    IMessenger messenger,
    IOptionsMonitor<CommunityOptions> community)
{
    public async Task SendAsync(TopicKey topic, Func<Texts, Reply> render, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select x.id, m.language_code as LanguageCode
              from ({CommunityOptions.StaffSql}) x
              left join members m on m.id = x.id
            """;
        var options = community.CurrentValue;
        IEnumerable<(long Id, string? LanguageCode)> staff;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            staff = await connection.QueryAsync<(long, string?)>(new CommandDefinition(
                Sql, new { staff = options.ConfiguredStaff() }, cancellationToken: cancellationToken));
        }

        foreach (var (id, languageCode) in staff)
        {
            var delivery = await ledger.ClaimReportAsync(topic, id, cancellationToken);
            if (delivery is null)
            {
                continue;
            }

            var reply = render(new Texts(Languages.FromTelegramCode(languageCode), options.Zone));
            var outcome = await messenger.SendAsync(new Outgoing(id, reply), cancellationToken);
            await ledger.CompleteAsync([new Completion(delivery.Value, DeliveryStates.FromSend(outcome.Status), outcome.MessageId)], cancellationToken);
        }
    }
}
