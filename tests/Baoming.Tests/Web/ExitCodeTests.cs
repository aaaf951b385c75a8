using System.Net;
using System.Net.Sockets;
using Baoming.Cli;
using Baoming.Hosting;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Baoming.Tests.Web;

/// <summary>A failure is loud: the process ends with a code that systemd's Restart=on-failure and Docker act on.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public async Task A_host_stopped_by_a_failing_background_service_exits_1_and_a_clean_stop_exits_0()
    {
        var failing = Host.CreateApplicationBuilder();
        failing.Services.AddHostedService<Failing>();
        using var crashed = failing.Build();
        using var clean = Host.CreateApplicationBuilder().Build();

        await crashed.StartAsync();
        await crashed.WaitForShutdownAsync();
        await clean.StartAsync();
        await clean.StopAsync();

        Assert.Equal(HostRunner.Failure, HostRunner.ExitCodeOf(crashed));
        Assert.Equal(0, HostRunner.ExitCodeOf(clean));
    }

    [Fact]
    public async Task The_real_binary_that_cannot_start_serving_exits_non_zero_with_one_line_and_no_token()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var environment = BaomingProcess.UpcomingSessions();
        environment["ConnectionStrings__Postgres"] = await TestPostgres.CreateDatabaseAsync();
        environment["Telegram__BotToken"] = FakeBotApi.Token;
        environment["Telegram__ApiBaseUrl"] = telegram.BaseUrl;
        environment["Http__Urls"] = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var result = await BaomingProcess.RunAsync("run", "", environment, TimeSpan.FromSeconds(60));

        Assert.Equal(HostRunner.Failure, result.ExitCode);
        Assert.Contains("Baoming stopped:", result.Error);
        Assert.DoesNotContain(FakeBotApi.Token, result.Error + result.Output);
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("a bug in the background");
        }
    }
}
