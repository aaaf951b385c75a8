using System.Text;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Messaging;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Telegram;

/// <summary>What a handler returns goes out through the Telegram channel: messages, then documents.</summary>
public sealed class ResponseDeliveryTests : IAsyncLifetime
{
    private const long Member = 6101;

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private IMessenger Telegram => bot.Host.Services.GetRequiredService<IMessenger>();

    [Fact]
    public async Task A_returned_document_is_uploaded_and_its_stream_closed_and_AfterSent_gets_the_message_id()
    {
        var content = new WatchedStream(Encoding.UTF8.GetBytes("BEGIN:VCALENDAR"));
        long? sentId = null;
        var response = new Response([new Outgoing(Member, Reply.Plain("status")) { AfterSent = (id, _) => { sentId = id; return Task.CompletedTask; } }])
        {
            Documents = [new OutgoingDocument(Member, "talk.ics", content, "The talk") { IfNotSent = Reply.Plain("no file") }],
        };

        await Telegram.DeliverAsync(response, buttonPressId: null, CancellationToken.None);

        var document = Assert.Single(bot.Telegram.Documents);
        Assert.Equal(("talk.ics", "The talk", "BEGIN:VCALENDAR"), (document.FileName, document.Caption, Encoding.UTF8.GetString(document.Content)));
        Assert.True(content.IsDisposed);
        var status = Assert.Single(bot.Telegram.MessagesTo(Member));
        Assert.Equal("status", status.Text);
        Assert.Equal(status.MessageId, sentId);
    }

    [Fact]
    public async Task A_document_Telegram_refuses_is_replaced_by_its_IfNotSent_reply_and_still_closed()
    {
        bot.Telegram.FailNext("sendDocument", 400, "Bad Request: file is too big");
        var content = new WatchedStream([1, 2, 3]);
        var response = new Response([]) { Documents = [new OutgoingDocument(Member, "list.csv", content) { IfNotSent = Reply.Plain("no file") }] };

        await Telegram.DeliverAsync(response, buttonPressId: null, CancellationToken.None);

        Assert.Empty(bot.Telegram.Documents);
        Assert.Equal("no file", Assert.Single(bot.Telegram.MessagesTo(Member)).Text);
        Assert.True(content.IsDisposed);
    }

    [Fact]
    public async Task AfterSent_gets_null_for_a_message_that_was_not_sent()
    {
        bot.Telegram.BlockChat(Member);
        long? sentId = -1;
        var response = new Response([new Outgoing(Member, Reply.Plain("status")) { AfterSent = (id, _) => { sentId = id; return Task.CompletedTask; } }]);

        await Telegram.DeliverAsync(response, buttonPressId: null, CancellationToken.None);

        Assert.Null(sentId);
    }

    /// <summary>A memory stream that remembers being closed.</summary>
    private sealed class WatchedStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public bool IsDisposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }
    }
}
