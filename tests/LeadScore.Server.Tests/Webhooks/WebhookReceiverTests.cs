using System.Net;
using System.Net.Sockets;

namespace LeadScore.Server.Tests.Webhooks;

public sealed class WebhookReceiverTests
{
    private const string Secret = "whsec_receiver";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailNext_Two_AnswersServerErrorTwiceThenOk()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = SignedRequest.DirectClient();
        receiver.FailNext(2);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = SignedRequest.Create(receiver.Url, Secret, "d-1", """{"score":81}""");
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        var received = await receiver.WaitForDeliveredAsync(1, Patience, Ct);

        statuses.ShouldBe([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK]);
        received.Select(r => r.AnsweredStatus).ShouldBe([500, 500, 200]);
        received.ShouldAllBe(r => r.DeliveryId == "d-1" && r.SignatureValid && r.Body == """{"score":81}""");
    }

    [Fact]
    public async Task GoDown_ThenComeBack_RefusesConnectionsThenReceivesOnTheSamePort()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = SignedRequest.DirectClient();
        var url = receiver.Url;
        using (var before = SignedRequest.Create(url, Secret, "d-1", "{}"))
        {
            (await client.SendAsync(before, Ct)).EnsureSuccessStatusCode();
        }

        await receiver.GoDownAsync();
        using var whileDown = SignedRequest.Create(url, Secret, "d-2", "{}");
        var refusal = await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(whileDown, Ct));
        await receiver.ComeBackAsync(Ct);
        using var after = SignedRequest.Create(url, Secret, "d-2", "{}");
        using var response = await client.SendAsync(after, Ct);

        refusal.InnerException.ShouldBeOfType<SocketException>().SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        receiver.Url.ShouldBe(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await receiver.WaitForDeliveredAsync(2, Patience, Ct)).Select(r => r.DeliveryId).ShouldBe(["d-1", "d-2"]);
    }

    [Fact]
    public async Task Receive_WrongSignature_IsRecordedAsInvalid()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = SignedRequest.DirectClient();
        using var request = SignedRequest.Create(receiver.Url, "whsec_someone_else", "d-1", "{}");

        using var response = await client.SendAsync(request, Ct);

        receiver.Received.ShouldHaveSingleItem().SignatureValid.ShouldBeFalse();
    }

    [Fact]
    public async Task Delay_SenderGivesUpFirst_IsRecordedAsUnanswered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var impatient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = SignedRequest.Create(receiver.Url, Secret, "d-1", "{}");
        receiver.Delay = TimeSpan.FromMinutes(5);

        await Should.ThrowAsync<TaskCanceledException>(() => impatient.SendAsync(request, Ct));
        var received = await receiver.WaitUntilAsync(r => r.Count == 1, "the abandoned request", Patience, Ct);

        received.ShouldHaveSingleItem().AnsweredStatus.ShouldBe(ReceivedWebhook.Unanswered);
        received[0].Delivered.ShouldBeFalse();
    }

    [Fact]
    public async Task WaitForDelivered_TooFewDelivered_ThrowsTimeoutSayingWhatArrived()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = SignedRequest.DirectClient();
        receiver.FailNext(1);
        using (var request = SignedRequest.Create(receiver.Url, Secret, "d-1", "{}"))
        {
            using var failed = await client.SendAsync(request, Ct);
        }

        var timeout = await Should.ThrowAsync<TimeoutException>(() => receiver.WaitForDeliveredAsync(1, TimeSpan.FromMilliseconds(200), Ct));

        timeout.Message.ShouldContain($"got 1:{Environment.NewLine}d-1 -> 500");
    }
}
