namespace LeadScore.Server.Tests.Webhooks;

/// <summary>
/// One request a <see cref="WebhookReceiver"/> got: its headers (empty when missing), its body as
/// UTF-8 text, whether the signature checked out, and the status it answered
/// (<see cref="Unanswered"/> when the sender gave up before a slow answer).
/// </summary>
public sealed record ReceivedWebhook(string DeliveryId, string Timestamp, string Signature, string Body, bool SignatureValid, int AnsweredStatus)
{
    public const int Unanswered = 0;

    public bool Delivered => AnsweredStatus is >= 200 and < 300;
}
