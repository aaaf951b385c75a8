namespace Baoming.Storage.Embedded;

/// <summary>
/// Settings for the private PostgreSQL cluster Baoming starts when <c>ConnectionStrings:Postgres</c> is empty.
/// Bound from the configuration section <see cref="SectionName"/>; every property is optional.
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    public const string SectionName = "EmbeddedPostgres";

    /// <summary>
    /// The folder Baoming owns for the cluster: <c>pgdata/</c>, <c>password</c> and <c>server.log</c> live inside.
    /// Default: <c>$XDG_DATA_HOME/baoming/postgres</c> (or <c>~/.local/share/baoming/postgres</c>);
    /// <c>/var/lib/baoming/postgres</c> when running as root, because the unprivileged server user cannot enter <c>/root</c>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The folder holding <c>initdb</c> and <c>pg_ctl</c>.
    /// Default: the folder of <c>pg_ctl</c> on PATH, else the highest version under <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>
    /// The unprivileged user the server runs as when Baoming runs as root (PostgreSQL refuses to run as root).
    /// Default: <c>postgres</c>. Ignored when Baoming does not run as root.
    /// </summary>
    public string? RunAsUser { get; set; }

    /// <summary>
    /// TCP port on 127.0.0.1; <see langword="null"/> picks a free one at each start.
    /// Set it to bring a restarted cluster back on the same port.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// <see langword="true"/> (the default) keeps PostgreSQL's crash safety. <see langword="false"/> turns off
    /// fsync, synchronous_commit and full_page_writes: faster, but an OS crash can lose or corrupt data,
    /// so only for throwaway test clusters.
    /// </summary>
    public bool IsDurable { get; set; } = true;
}
