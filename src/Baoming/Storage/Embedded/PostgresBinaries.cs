using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Baoming.Storage.Embedded;

/// <summary>
/// The machine's PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>) and how to run them:
/// directly, or as an unprivileged user when Baoming runs as root.
/// </summary>
internal sealed class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    private readonly string? runAsUser;
    private readonly string? switchUserProgram;

    private PostgresBinaries(string binDirectory, string? runAsUser, string? switchUserProgram)
    {
        BinDirectory = binDirectory;
        this.runAsUser = runAsUser;
        this.switchUserProgram = switchUserProgram;
    }

    public string BinDirectory { get; }

    /// <summary>The user the server runs as when Baoming is root; <see langword="null"/> means "as ourselves".</summary>
    public string? RunAsUser => runAsUser;

    public static PostgresBinaries Locate(EmbeddedPostgresOptions options)
    {
        var binDirectory = FindBinDirectory(options.BinDirectory);
        if (!Environment.IsPrivilegedProcess)
        {
            return new PostgresBinaries(binDirectory, runAsUser: null, switchUserProgram: null);
        }

        var user = string.IsNullOrWhiteSpace(options.RunAsUser) ? "postgres" : options.RunAsUser.Trim();
        if (user == "root" || user == "0")
        {
            throw new EmbeddedPostgresException(
                "EmbeddedPostgres:RunAsUser is 'root', but PostgreSQL refuses to run as root; set it to an unprivileged user (e.g. postgres) or set ConnectionStrings:Postgres.");
        }

        if (!UserExists(user))
        {
            throw new EmbeddedPostgresException(
                $"Baoming runs as root and PostgreSQL refuses to run as root, but the user '{user}' to run it as does not exist; install the PostgreSQL server package (it creates 'postgres'), set EmbeddedPostgres:RunAsUser to an existing unprivileged user, or set ConnectionStrings:Postgres.");
        }

        var switchUser = FindProgram("runuser", "/usr/sbin", "/sbin")
            ?? FindProgram("setpriv", "/usr/bin", "/bin")
            ?? FindProgram("su", "/usr/bin", "/bin")
            ?? throw new EmbeddedPostgresException(
                $"Baoming runs as root and must start PostgreSQL as '{user}', but none of runuser, setpriv or su was found; install util-linux or run Baoming as an unprivileged user.");
        return new PostgresBinaries(binDirectory, user, switchUser);
    }

    /// <summary>
    /// Runs <paramref name="program"/> (a file in <see cref="BinDirectory"/>) to completion, reading its output
    /// asynchronously so a chatty child can never block on a full pipe.
    /// </summary>
    public Task<ProcessResult> RunAsync(
        string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = CreateStartInfo(Path.Combine(BinDirectory, program), arguments);
        startInfo.WorkingDirectory = workingDirectory;
        return RunProcessAsync(startInfo, timeout, ct);
    }

    /// <summary>
    /// Runs a process to completion, reading its output asynchronously so a chatty child can never block on a
    /// full pipe, and killing it when <paramref name="timeout"/> passes or <paramref name="ct"/> is cancelled.
    /// </summary>
    public static async Task<ProcessResult> RunProcessAsync(ProcessStartInfo startInfo, TimeSpan timeout, CancellationToken ct)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;
        // English messages: some failures are recognised by their text (e.g. "Address already in use").
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANGUAGE"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new EmbeddedPostgresException($"Could not run {startInfo.FileName}: {ex.Message}.", ex);
        }

        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
            var output = (await stdout + "\n" + await stderr).Trim();
            return new ProcessResult(process.ExitCode, output);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(startInfo.FileName)} did not finish within {timeout.TotalSeconds:0} seconds.");
        }
    }

    private ProcessStartInfo CreateStartInfo(string fileName, IReadOnlyList<string> arguments)
    {
        if (runAsUser is null || switchUserProgram is null)
        {
            var direct = new ProcessStartInfo(fileName);
            foreach (var argument in arguments)
            {
                direct.ArgumentList.Add(argument);
            }

            return direct;
        }

        var startInfo = new ProcessStartInfo(switchUserProgram);
        switch (Path.GetFileName(switchUserProgram))
        {
            case "runuser":
                Add(startInfo, "-u", runAsUser, "--", fileName);
                Add(startInfo, [.. arguments]);
                break;
            case "setpriv":
                Add(startInfo, $"--reuid={runAsUser}", $"--regid={PrimaryGroupOf(runAsUser)}", "--init-groups", "--", fileName);
                Add(startInfo, [.. arguments]);
                break;
            default:
                // su takes one shell command line, so quote every word for sh.
                var command = "exec " + string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote));
                Add(startInfo, "-s", "/bin/sh", runAsUser, "-c", command);
                break;
        }

        return startInfo;

        static void Add(ProcessStartInfo info, params string[] words)
        {
            foreach (var word in words)
            {
                info.ArgumentList.Add(word);
            }
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Gone or not ours to kill; nothing more we can do.
        }
    }

    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    private static string FindBinDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var explicitDirectory = Path.GetFullPath(configured);
            return HasServerPrograms(explicitDirectory)
                ? explicitDirectory
                : throw new EmbeddedPostgresException(
                    $"PostgreSQL server binaries (initdb, pg_ctl) not found in {explicitDirectory} (EmbeddedPostgres:BinDirectory). Install the PostgreSQL server package (e.g. `apt-get install postgresql`), fix EmbeddedPostgres:BinDirectory, or set ConnectionStrings:Postgres.");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServerPrograms(directory))
            {
                return Path.GetFullPath(directory);
            }
        }

        if (Directory.Exists(DebianRoot))
        {
            // /usr/lib/postgresql/{15,16,...}/bin: prefer the newest major version.
            var newest = Directory.EnumerateDirectories(DebianRoot)
                .Select(versionDirectory => (Version: ParseVersion(Path.GetFileName(versionDirectory)), Bin: Path.Combine(versionDirectory, "bin")))
                .Where(candidate => candidate.Version is not null && HasServerPrograms(candidate.Bin))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new EmbeddedPostgresException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin. Install the PostgreSQL server package (e.g. `apt-get install postgresql`) or set ConnectionStrings:Postgres.");
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "pg_ctl")) && File.Exists(Path.Combine(directory, "initdb"));

    private static string? FindProgram(string name, params string[] usualDirectories) =>
        usualDirectories
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static bool UserExists(string user) => FindPasswdEntry(user) is not null || IdSucceeds(user);

    private static string PrimaryGroupOf(string user) => FindPasswdEntry(user)?[3] ?? user;

    /// <summary>The fields of the user's /etc/passwd line; users from LDAP etc. are only seen by <see cref="IdSucceeds"/>.</summary>
    private static string[]? FindPasswdEntry(string user)
    {
        try
        {
            return File.ReadLines("/etc/passwd")
                .Select(line => line.Split(':'))
                .FirstOrDefault(fields => fields.Length >= 7 && (fields[0] == user || fields[2] == user));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IdSucceeds(string user)
    {
        try
        {
            using var id = Process.Start(new ProcessStartInfo("id", ["-u", user])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (id is null)
            {
                return false;
            }

            _ = id.StandardOutput.ReadToEndAsync();
            _ = id.StandardError.ReadToEndAsync();
            return id.WaitForExit(TimeSpan.FromSeconds(10)) && id.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}

internal sealed record ProcessResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
