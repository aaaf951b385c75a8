using Baoming.Hosting;
using Baoming.Telegram;
using Baoming.Web;

namespace Baoming.Cli;

internal static class RunCommand
{
    public static Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var builder = BaomingHost.CreateWebBuilder();
        if (string.IsNullOrWhiteSpace(builder.Configuration["Telegram:BotToken"]))
        {
            Console.Error.WriteLine(
                "Telegram:BotToken is not set, so the bot cannot serve Telegram. Set it (in appsettings.json, the file named by " +
                "BAOMING_CONFIG, the environment variable Telegram__BotToken, or a secret file), or try the bot in this terminal " +
                "first: dotnet run --project src/Baoming -- shell");
            return Task.FromResult(HostRunner.ConfigurationError);
        }

        if (BaomingHost.UsesEmbeddedDatabase(builder.Configuration))
        {
            if (Enum.TryParse<TelegramMode>(builder.Configuration["Telegram:Mode"], ignoreCase: true, out var mode) && mode == TelegramMode.Webhook)
            {
                // Webhook mode is a deployment: several instances behind a balancer must share one database, and
                // a private cluster per instance would split sign-ups between them without a word.
                Console.Error.WriteLine(
                    "ConnectionStrings:Postgres is required in webhook mode (Telegram:Mode=Webhook): set it to the PostgreSQL database the instances share.");
                return Task.FromResult(HostRunner.ConfigurationError);
            }

            Console.Error.WriteLine(
                "warning: ConnectionStrings:Postgres is not set, so the bot uses the embedded development database (for trying it out; set it in production).");
        }

        // The database is prepared beside the start: the first getUpdates, and the webhook, need not wait for it.
        return HostRunner.RunPreparingBesideAsync(
            builder,
            BotWeb.Build,
            async (host, ct) =>
            {
                try
                {
                    // Not RunAsync: it disposes the host, and the exit code is read from its services afterwards.
                    await host.StartAsync(ct);
                    await host.WaitForShutdownAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Could not start (a port taken, say) or failed while stopping: one line, and an exit code that says so.
                    await Console.Error.WriteLineAsync($"Baoming stopped: {e.GetType().Name}: {e.Message}");
                    return HostRunner.Failure;
                }

                return HostRunner.ExitCodeOf(host);
            },
            cancellationToken);
    }
}
