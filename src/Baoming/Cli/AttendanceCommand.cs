using System.CommandLine;
using Baoming.Attendance;
using Baoming.Community;
using Baoming.Core.Attendance;
using Baoming.Core.Replies;
using Baoming.Hosting;
using Baoming.Sessions;

namespace Baoming.Cli;

/// <summary>
/// <c>attendance import --session KEY --file PATH</c>: the meeting platform's attendee list (CSV or XLSX), imported
/// as <c>/attendance KEY</c> does in the chat; the report goes to standard output, in Chinese like the chat's.
/// Exit codes: 0 imported; 2 bad arguments, unknown session or configuration problem; 1 the file is missing, too big or unreadable.
/// </summary>
internal static class AttendanceCommand
{
    public const int FileError = 1;

    public static Command Build()
    {
        var session = new Option<string>("--session") { Description = "The session's key (see `sessions list`).", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The attendee list: CSV (UTF-8) or XLSX, at most 5 MB and 100,000 rows.", Required = true };
        var import = new Command(
            "import",
            "Mark attendance from a list of Telegram ids, @usernames or personal join links (one a row); other rows are reported, never guessed.")
        {
            session, file,
        };
        import.SetAction((result, ct) => ImportAsync(result.GetValue(session)!, result.GetValue(file)!, ct));
        return new Command("attendance", "Attendance of online sessions.") { import };
    }

    private static async Task<int> ImportAsync(string sessionKey, FileInfo file, CancellationToken cancellationToken)
    {
        // The file first: a wrong path should fail before anything waits for the database.
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"attendance import: {file.FullName} does not exist.");
            return FileError;
        }

        if (file.Length > AttendanceList.MaxBytes)
        {
            await Console.Error.WriteLineAsync($"attendance import: {file.FullName} is larger than {AttendanceList.MaxBytes / 1_000_000} MB.");
            return FileError;
        }

        var content = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        var builder = BaomingHost.CreateBuilder();
        BaomingHost.OnlyProblemsOnStandardError(builder);
        return await HostRunner.RunAsync(builder, _ => { }, async (host, ct) =>
        {
            if (await host.Services.GetRequiredService<SessionRepository>().FindByKeyAsync(sessionKey, ct) is not { Session: var session })
            {
                await Console.Error.WriteLineAsync($"attendance import: no session has the key '{sessionKey}' (see `sessions list`).");
                return HostRunner.ConfigurationError;
            }

            var (result, problem) = await host.Services.GetRequiredService<AttendanceImport>()
                .ImportAsync(ExportCommand.CommandLineActor, session, content, "command line", ct);
            if (result is null)
            {
                await Console.Error.WriteLineAsync(problem == ImportProblem.TooBig
                    ? $"attendance import: {file.FullName} has more than {AttendanceList.MaxRows:N0} rows."
                    : $"attendance import: {file.FullName} is neither UTF-8 CSV nor XLSX.");
                return FileError;
            }

            var texts = new Texts(Core.Language.Chinese, host.Services.GetRequiredService<IOptions<CommunityOptions>>().Value.Zone);
            await Console.Out.WriteLineAsync(texts.AttendanceImported(session, result).Text);
            return 0;
        }, cancellationToken);
    }
}
