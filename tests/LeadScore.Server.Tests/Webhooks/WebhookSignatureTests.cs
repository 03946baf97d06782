using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadScore.Server.Webhooks;

namespace LeadScore.Server.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_Zk3q-example";
    private const long SignedAt = 1_767_225_600;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"lead":"Zoë O'Brien","score":87,"note":"a b  c\\n"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(SignedAt);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Sign_ThenVerify_RoundTrips()
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify(Secret, "1767225600", signature, Body, Now, Tolerance);

        valid.ShouldBeTrue();
    }

    [Fact]
    public void Sign_IsV1AndLowercaseHexHmacOfTimestampDotBody()
    {
        var message = Encoding.UTF8.GetBytes("1767225600.").Concat(Body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), message));

        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        signature.ShouldBe(expected);
    }

    [Fact]
    public void Verify_TamperedBody_IsRejected()
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);
        var tampered = Encoding.UTF8.GetBytes("""{"lead":"Zoë O'Brien","score":97,"note":"a b  c\\n"}""");

        var valid = WebhookSignature.Verify(Secret, "1767225600", signature, tampered, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Fact]
    public void Verify_WrongSecret_IsRejected()
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify("whsec_another", "1767225600", signature, Body, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Fact]
    public void Verify_TimestampOtherThanSigned_IsRejected()
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify(Secret, "1767225601", signature, Body, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Verify_TimestampBeyondTolerance_IsRejected(int receiverClockAheadSeconds)
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify(Secret, "1767225600", signature, Body, Now.AddSeconds(receiverClockAheadSeconds), Tolerance);

        valid.ShouldBeFalse();
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_TimestampAtTheEdgeOfTolerance_IsAccepted(int receiverClockAheadSeconds)
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify(Secret, "1767225600", signature, Body, Now.AddSeconds(receiverClockAheadSeconds), Tolerance);

        valid.ShouldBeTrue();
    }

    [Fact]
    public void Verify_HugeTimestamp_IsStaleNotAnOverflow()
    {
        var huge = long.MaxValue;
        var signature = WebhookSignature.Sign(Secret, huge, Body);

        var valid = WebhookSignature.Verify(Secret, huge.ToString(CultureInfo.InvariantCulture), signature, Body, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" 1767225600")]
    [InlineData("+1767225600")]
    [InlineData("-1767225600")]
    [InlineData("1767225600.0")]
    [InlineData("1.7e9")]
    [InlineData("yesterday")]
    [InlineData("99999999999999999999999")]
    public void Verify_GarbledTimestampHeader_IsRejected(string? timestamp)
    {
        var signature = WebhookSignature.Sign(Secret, SignedAt, Body);

        var valid = WebhookSignature.Verify(Secret, timestamp, signature, Body, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("one digit short")]
    [InlineData("one digit long")]
    [InlineData("other version")]
    [InlineData("upper-case prefix")]
    [InlineData("other scheme")]
    [InlineData("not hex")]
    [InlineData("trailing space")]
    public void Verify_GarbledSignatureHeader_IsRejected(string garbling)
    {
        var real = WebhookSignature.Sign(Secret, SignedAt, Body);
        var garbled = garbling switch
        {
            "missing" => null,
            "empty" => "",
            "one digit short" => real[..^1],
            "one digit long" => real + "0",
            "other version" => "v2=" + real[3..],
            "upper-case prefix" => "V1=" + real[3..],
            "other scheme" => "sha256=" + real[3..],
            "not hex" => "v1=zz" + real[5..],
            "trailing space" => real + " ",
            _ => throw new ArgumentOutOfRangeException(nameof(garbling)),
        };

        var valid = WebhookSignature.Verify(Secret, "1767225600", garbled, Body, Now, Tolerance);

        valid.ShouldBeFalse();
    }

    [Fact]
    public async Task ShellRecipe_FromTheDocs_AgreesWithSign()
    {
        var script = ShellRecipe();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var stale = ts - 3600;
        var body = Encoding.UTF8.GetString(Body);

        var genuine = await RunAsync(script, ts, WebhookSignature.Sign(Secret, ts, Body), body);
        var tampered = await RunAsync(script, ts, WebhookSignature.Sign(Secret, ts, Body), body.Replace("87", "97", StringComparison.Ordinal));
        var replayed = await RunAsync(script, stale, WebhookSignature.Sign(Secret, stale, Body), body);

        genuine.ShouldBe("valid");
        tampered.ShouldBe("invalid");
        replayed.ShouldBe("invalid");
    }

    /// <summary>The sh block of docs/webhooks.md that uses openssl, as published.</summary>
    private static string ShellRecipe()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "webhooks.md"));
        var blocks = markdown.Split("```sh\n").Skip(1).Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)]);
        return blocks.Single(block => block.Contains("openssl dgst", StringComparison.Ordinal));
    }

    private static async Task<string> RunAsync(string script, long ts, string sig, string body)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["secret"] = Secret;
        start.Environment["ts"] = ts.ToString(CultureInfo.InvariantCulture);
        start.Environment["sig"] = sig;
        start.Environment["body"] = body;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        (await errors).ShouldBeEmpty();
        return (await output).Trim();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LeadScore.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find LeadScore.slnx above the test folder.");
    }
}
