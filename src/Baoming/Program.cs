using Baoming.Cli;

// Baoming: one binary with verbs (run, shell, migrate, sessions list, export). See README.md.
return await Commands.Build().Parse(args).InvokeAsync();
