namespace Baoming.Platform;

/// <summary>
/// The loop of a background service that does a piece of work now and again: an unexpected failure
/// is logged by the service and the loop goes on after a longer pause, so nothing stops for good,
/// and a stop request ends it quietly.
/// </summary>
public static class BackgroundLoop
{
    public static async Task RunAsync(
        Func<CancellationToken, Task> work, TimeSpan tick, TimeSpan afterFailure, Action<Exception> logFailure, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work(stoppingToken);
                await Task.Delay(tick, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logFailure(e);
                await Task.Delay(afterFailure, stoppingToken);
            }
        }
    }
}
