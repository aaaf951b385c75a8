using Telegram.Bot;

// The floor for the `startup` benchmark: a minimal Telegram.Bot console program that long-polls the
// Bot API given by FLOOR_API_BASE_URL with FLOOR_BOT_TOKEN, and does nothing else.
var token = Environment.GetEnvironmentVariable("FLOOR_BOT_TOKEN") ?? "123456:FLOOR";
var baseUrl = Environment.GetEnvironmentVariable("FLOOR_API_BASE_URL") ?? "https://api.telegram.org";
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var bot = new TelegramBotClient(new TelegramBotClientOptions(token, baseUrl), cancellationToken: stop.Token);
var offset = 0;
try
{
    while (!stop.IsCancellationRequested)
    {
        var updates = await bot.GetUpdates(offset: offset, timeout: 30, cancellationToken: stop.Token);
        if (updates.Length > 0)
        {
            offset = updates[^1].Id + 1;
        }
    }
}
catch (OperationCanceledException)
{
}
