using System.CommandLine;
using Baoming.Shell;

namespace Baoming.Cli;

/// <summary>The command line: verbs and their options. Each verb's work lives in its feature.</summary>
public static class Commands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Baoming (报名): a Telegram bot for signing up to community sessions.");

        var run = new Command("run", "Serve the bot (the default). Needs Telegram:BotToken.");
        run.SetAction((_, ct) => RunCommand.RunAsync(ct));
        root.Subcommands.Add(run);
        root.SetAction((_, ct) => RunCommand.RunAsync(ct));

        var asRole = new Option<string>("--as")
        {
            Description = "Whose eyes to chat with: reader, organizer or admin.",
            DefaultValueFactory = _ => "reader",
        };
        asRole.AcceptOnlyFromAmong("reader", "organizer", "admin");
        var user = new Option<long?>("--user") { Description = "Be this member (a Telegram user id); each id is a different member." };
        var name = new Option<string?>("--name") { Description = "Your display name in the shell." };
        var language = new Option<string>("--lang")
        {
            Description = "Your chat language: zh or en.",
            DefaultValueFactory = _ => "zh",
        };
        language.AcceptOnlyFromAmong("zh", "en");
        var demo = new Option<bool>("--demo")
        {
            Description = "Add a demo session (报名 演示) starting in two minutes, reminded 90 and 60 seconds before: watch reminders arrive.",
        };
        var allowProduction = new Option<bool>(ShellCommand.AllowProductionFlag)
        {
            Description = "Chat on the database ConnectionStrings:Postgres names (one the shell did not start, e.g. the bot's). "
                + "The shell then runs no jobs there (the bot does) and audits your actions with your operating-system user name.",
        };
        var shell = new Command("shell", "Chat with the bot in this terminal, on the same engine, on its own database. Reads lines from standard input.")
        {
            asRole, user, name, language, demo, allowProduction,
        };
        shell.SetAction((result, ct) => ShellCommand.RunAsync(
            new ShellSettings(result.GetValue(asRole)!, result.GetValue(user), result.GetValue(name), result.GetValue(language)!)
            {
                IsDemo = result.GetValue(demo),
                IsProductionAllowed = result.GetValue(allowProduction),
            },
            ct));
        root.Subcommands.Add(shell);

        var migrate = new Command("migrate", "Apply database migrations and the configured sessions, then exit.");
        migrate.SetAction((_, ct) => MaintenanceCommands.MigrateAsync(ct));
        root.Subcommands.Add(migrate);

        var sessions = new Command("sessions", "Inspect sessions.");
        var list = new Command("list", "List every session with its seats.");
        list.SetAction((_, ct) => MaintenanceCommands.ListSessionsAsync(ct));
        sessions.Subcommands.Add(list);
        root.Subcommands.Add(sessions);

        root.Subcommands.Add(RequireExportArguments(ExportCommand.Build()));
        root.Subcommands.Add(AttendanceCommand.Build());
        root.Subcommands.Add(StatsCommand.Build());

        return root;
    }

    /// <summary>The export's arguments checked by the parser, so a mistake is a command-line error (exit 2, on stderr) like any other.</summary>
    private static Command RequireExportArguments(Command export)
    {
        export.Options.Single(o => o.Name == "--session").Required = true;
        var format = export.Options.Single(o => o.Name == "--format");
        string[] formats = ["csv", "xlsx"];
        format.CompletionSources.Add(formats);
        format.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && !formats.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--format must be {string.Join(" or ", formats)}, not '{value}'.");
            }
        });
        return export;
    }
}
