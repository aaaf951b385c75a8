using Baoming.Cli;
using Baoming.Hosting;

// Baoming: one binary with verbs (run, shell, migrate, sessions list, export). See README.md.
var command = Commands.Build().Parse(args);
if (command.Errors.Count > 0)
{
    // The error, not the help (which `--help` gives), on stderr: stdout may be a pipe expecting an export.
    foreach (var error in command.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    return HostRunner.ConfigurationError;
}

return await command.InvokeAsync();
