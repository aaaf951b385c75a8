using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of its own (the embedded default's code, in a temp folder) on a fixed port, so it can be
/// stopped and started again under a running bot whose connection string names that port. The shared cluster of
/// <see cref="BenchContext.ClusterAsync"/> picks a new free port on every start, and stops only once.
/// </summary>
internal sealed class RestartableCluster : IAsyncDisposable
{
    private readonly EmbeddedPostgresOptions options;
    private readonly string folder;

    private RestartableCluster(EmbeddedPostgresOptions options, string folder, EmbeddedPostgres server)
    {
        this.options = options;
        this.folder = folder;
        Server = server;
    }

    /// <summary>The running server (a new instance after each <see cref="RestartAsync"/>); same port, password and data.</summary>
    public EmbeddedPostgres Server { get; private set; }

    public static async Task<RestartableCluster> StartAsync(string name, bool isDurable, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"baoming-bench-{Environment.ProcessId}-{name}");
        var options = new EmbeddedPostgresOptions { DataDirectory = folder, IsDurable = isDurable, Port = FreePort() };
        BenchContext.Progress($"starting a restartable PostgreSQL in {folder} on port {options.Port} ({(isDurable ? "durable" : "fsync off")})");
        var server = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, ct);
        return new RestartableCluster(options, folder, server);
    }

    /// <summary>
    /// <c>pg_ctl stop -m fast</c> (every session is ended at once, open transactions roll back), <paramref name="down"/>
    /// with no server, then <c>pg_ctl start</c> on the same port. Returns Stopwatch timestamps: stop begun, server gone,
    /// server ready again (it accepted a connection).
    /// </summary>
    public async Task<(long StopBegan, long Stopped, long Ready)> RestartAsync(TimeSpan down, CancellationToken ct)
    {
        var began = Stopwatch.GetTimestamp();
        await Server.StopAsync(ct);
        var stopped = Stopwatch.GetTimestamp();
        await Task.Delay(down, ct);
        Server = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance, ct);
        var ready = Stopwatch.GetTimestamp();
        // The benchmark's own pooled connections died with the old server.
        NpgsqlConnection.ClearAllPools();
        return (began, stopped, ready);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        BenchContext.TryDelete(folder);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
