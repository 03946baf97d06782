using System.Net;
using LeadScore.Server.Webhooks;

namespace LeadScore.Server.Tests.Webhooks;

public sealed class WebhookTargetPolicyTests
{
    private const string Secret = "whsec_policy";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("::")]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:100.64.0.1")]
    public void IsRefused_LoopbackLinkLocalPrivateAndSpecialAddresses_AreRefused(string address)
    {
        var policy = WebhookTargetPolicy.Default;

        var refused = policy.IsRefused(IPAddress.Parse(address));

        refused.ShouldBeTrue();
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800::1")]
    [InlineData("8.8.8.8")]
    [InlineData("11.0.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("fec0::1")]
    [InlineData("::ffff:93.184.216.34")]
    public void IsRefused_PublicAddresses_AreAllowed(string address)
    {
        var policy = WebhookTargetPolicy.Default;

        var refused = policy.IsRefused(IPAddress.Parse(address));

        refused.ShouldBeFalse();
    }

    [Fact]
    public void IsRefused_AllowListedAddress_LetsOnlyThatAddressThrough()
    {
        WebhookTargetPolicy.TryCreate(["127.0.0.1"], out var policy, out _).ShouldBeTrue();

        var exact = policy.IsRefused(IPAddress.Parse("127.0.0.1"));
        var mapped = policy.IsRefused(IPAddress.Parse("::ffff:127.0.0.1"));
        var neighbour = policy.IsRefused(IPAddress.Parse("127.0.0.2"));

        exact.ShouldBeFalse();
        mapped.ShouldBeFalse();
        neighbour.ShouldBeTrue();
    }

    [Fact]
    public void IsRefused_AllowListedBlock_LetsItsAddressesThrough()
    {
        WebhookTargetPolicy.TryCreate(["10.20.0.0/16", "fd00::/8"], out var policy, out _).ShouldBeTrue();

        var inside = policy.IsRefused(IPAddress.Parse("10.20.3.4"));
        var insideV6 = policy.IsRefused(IPAddress.Parse("fd00::5"));
        var outside = policy.IsRefused(IPAddress.Parse("10.21.0.1"));

        inside.ShouldBeFalse();
        insideV6.ShouldBeFalse();
        outside.ShouldBeTrue();
    }

    [Fact]
    public void TryCreate_AddressesAndBlocks_AreAllowListedAsBlocks()
    {
        var created = WebhookTargetPolicy.TryCreate([" 10.0.0.0/8 ", "127.0.0.1", "::1", "fd00::/8"], out var policy, out var error);

        created.ShouldBeTrue();
        error.ShouldBeNull();
        policy.ShouldNotBeNull().Allowed.Select(block => block.ToString()).ShouldBe(["10.0.0.0/8", "127.0.0.1/32", "::1/128", "fd00::/8"]);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("::1/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/x")]
    [InlineData("10.0.0")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("hooks.example.com")]
    [InlineData("")]
    public void TryCreate_BadEntry_NamesItAndTheExpectedForm(string entry)
    {
        var created = WebhookTargetPolicy.TryCreate(["192.168.0.0/16", entry], out var policy, out var error);

        created.ShouldBeFalse();
        policy.ShouldBeNull();
        error.ShouldBe($"'{entry}' is not an address or CIDR block such as 10.0.0.0/8 or 127.0.0.1");
    }

    [Fact]
    public void TryCreate_AddressBitsAfterThePrefix_SaysWhichBlockWasMeant()
    {
        var created = WebhookTargetPolicy.TryCreate(["10.1.2.3/8"], out _, out var error);

        created.ShouldBeFalse();
        error.ShouldBe("'10.1.2.3/8' has address bits set after the /8 prefix; write 10.0.0.0/8 for the whole block or 10.1.2.3/32 for the one address");
    }

    [Theory]
    [InlineData("https://hooks.example.com/leadscore")]
    [InlineData("http://93.184.216.34:8080/hook?token=abc")]
    [InlineData("https://[2606:2800::1]/hook")]
    [InlineData("https://localhost.example.com/hook")]
    public void CheckUrl_PublicHttpUrl_IsFine(string url)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBeNull();
    }

    [Theory]
    [InlineData("/hook")]
    [InlineData("hooks.example.com/leadscore")]
    [InlineData("ftp://hooks.example.com/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("")]
    public void CheckUrl_NotAnAbsoluteHttpUrl_SaysWhatIsExpected(string url)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBe($"webhook URL '{url}' is not an absolute http or https URL; give one such as https://example.com/hooks/leadscore");
    }

    [Fact]
    public void CheckUrl_UserAndPassword_AreRefusedWithoutRepeatingThePassword()
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl("https://crm:hunter2@hooks.example.com/");

        problem.ShouldNotBeNull();
        problem.ShouldContain("must not contain a user name or password");
        problem.ShouldNotContain("hunter2");
    }

    [Fact]
    public void CheckUrl_LoopbackAddress_SaysHowToAllowListIt()
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl("http://127.0.0.1:8080/hook");

        problem.ShouldBe("webhook target 127.0.0.1 is on a loopback network; LeadScore refuses loopback, link-local and private targets unless allow-listed with `leadscore serve --webhook-allow 127.0.0.1/32`");
    }

    [Theory]
    [InlineData("http://localhost/hook", "localhost is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://LOCALHOST./hook", "localhost is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://crm.localhost:3000/hook", "crm.localhost is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://2130706433/hook", "127.0.0.1 is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://[::1]/hook", "::1 is on a loopback network", "::1/128")]
    [InlineData("https://10.0.0.5/hook", "10.0.0.5 is on a private network", "10.0.0.5/32")]
    [InlineData("https://[fd00::5]/hook", "fd00::5 is on a private network", "fd00::5/128")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is on a link-local network", "169.254.169.254/32")]
    [InlineData("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254 is on a link-local network", "169.254.169.254/32")]
    [InlineData("http://100.64.1.1/", "100.64.1.1 is on a carrier-grade NAT network", "100.64.1.1/32")]
    [InlineData("http://0.0.0.0:8080/", "0.0.0.0 is an unspecified address", "0.0.0.0/32")]
    public void CheckUrl_RefusedTarget_NamesItsNetworkAndTheAllowListEntry(string url, string what, string allow)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBe($"webhook target {what}; LeadScore refuses loopback, link-local and private targets unless allow-listed with `leadscore serve --webhook-allow {allow}`");
    }

    [Fact]
    public void CheckUrl_AllowListedLoopback_IsFine()
    {
        WebhookTargetPolicy.TryCreate(["127.0.0.1/32"], out var policy, out _).ShouldBeTrue();

        var literal = policy.CheckUrl("http://127.0.0.1:8080/hook");
        var name = policy.CheckUrl("http://localhost:8080/hook");

        literal.ShouldBeNull();
        name.ShouldBeNull();
    }

    [Theory]
    [InlineData("::127.0.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::5db8:d822")]
    [InlineData("64:ff9b:1:ffff::1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe")]
    public void IsRefused_IPv6CarryingARefusedIPv4Address_IsRefused(string address)
    {
        var policy = WebhookTargetPolicy.Default;

        var refused = policy.IsRefused(IPAddress.Parse(address));

        refused.ShouldBeTrue();
    }

    [Theory]
    [InlineData("::93.184.216.34")]
    [InlineData("::ffff:0:93.184.216.34")]
    [InlineData("64:ff9b::5db8:d822")]
    [InlineData("2002:5db8:d822::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:a247:27dd")]
    public void IsRefused_IPv6CarryingAPublicIPv4Address_IsAllowed(string address)
    {
        var policy = WebhookTargetPolicy.Default;

        var refused = policy.IsRefused(IPAddress.Parse(address));

        refused.ShouldBeFalse();
    }

    [Fact]
    public void IsRefused_AllowListedIPv4_AlsoAllowsTheIPv6FormsCarryingIt()
    {
        WebhookTargetPolicy.TryCreate(["127.0.0.1/32"], out var policy, out _).ShouldBeTrue();

        var nat64 = policy.IsRefused(IPAddress.Parse("64:ff9b::7f00:1"));
        var sixToFour = policy.IsRefused(IPAddress.Parse("2002:7f00:2::"));

        nat64.ShouldBeFalse();
        sixToFour.ShouldBeTrue();
    }

    [Theory]
    [InlineData("http://[::127.0.0.1]/hook", "::127.0.0.1")]
    [InlineData("http://[::ffff:0:127.0.0.1]/hook", "::ffff:0:127.0.0.1")]
    [InlineData("http://[64:ff9b::7f00:1]/hook", "64:ff9b::")]
    [InlineData("http://[2002:7f00:1::]/hook", "2002:7f00:1::")]
    [InlineData("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "2001:0:4136:e378:8000:63bf:80ff:fffe")]
    public void CheckUrl_IPv6CarryingLoopback_SaysWhatItCarriesAndHowToAllowListIt(string url, string target)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldNotBeNull();
        problem.ShouldStartWith($"webhook target {target}");
        problem.ShouldEndWith(" carries 127.0.0.1, which is on a loopback network; LeadScore refuses loopback, link-local and private targets unless allow-listed with `leadscore serve --webhook-allow 127.0.0.1/32`");
    }

    [Theory]
    [InlineData("http://１２７．０．０．１/hook", "１２７．０．０．１ (read as 127.0.0.1) is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://127。0。0。1/hook", "127。0。0。1 (read as 127.0.0.1) is on a loopback network", "127.0.0.1/32")]
    [InlineData("http://１０．０．０．５:8080/hook", "１０．０．０．５ (read as 10.0.0.5) is on a private network", "10.0.0.5/32")]
    [InlineData("http://１６９．２５４．１６９．２５４/latest", "１６９．２５４．１６９．２５４ (read as 169.254.169.254) is on a link-local network", "169.254.169.254/32")]
    [InlineData("http://ｌｏｃａｌｈｏｓｔ/hook", "ｌｏｃａｌｈｏｓｔ (read as localhost) is on a loopback network", "127.0.0.1/32")]
    public void CheckUrl_HostInFullWidthOrIdeographicForm_IsJudgedInItsIdnaForm(string url, string what, string allow)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBe($"webhook target {what}; LeadScore refuses loopback, link-local and private targets unless allow-listed with `leadscore serve --webhook-allow {allow}`");
    }

    [Theory]
    [InlineData("http://hooks.example.com:22/hook", 22)]
    [InlineData("https://hooks.example.com:25/hook", 25)]
    [InlineData("http://93.184.216.34:6/hook", 6)]
    [InlineData("https://hooks.example.com:1023/hook", 1023)]
    [InlineData("http://hooks.example.com:0/hook", 0)]
    public void CheckUrl_PortOtherThanWebPorts_IsRefusedWithTheAllowListEntry(string url, int port)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBe($"webhook target port {port} is not a web port; LeadScore calls only ports 80, 443 and 1024-65535 unless allow-listed with `leadscore serve --webhook-allow port:{port}`");
    }

    [Theory]
    [InlineData("http://hooks.example.com/hook")]
    [InlineData("https://hooks.example.com/hook")]
    [InlineData("http://hooks.example.com:80/hook")]
    [InlineData("https://hooks.example.com:1024/hook")]
    [InlineData("https://hooks.example.com:65535/hook")]
    public void CheckUrl_WebPorts_AreFine(string url)
    {
        var problem = WebhookTargetPolicy.Default.CheckUrl(url);

        problem.ShouldBeNull();
    }

    [Fact]
    public void CheckUrl_AllowListedPortsAndPortRanges_AreFine()
    {
        WebhookTargetPolicy.TryCreate(["port:25", "port:8-9", "10.0.0.0/8"], out var policy, out _).ShouldBeTrue();

        var single = policy.CheckUrl("https://hooks.example.com:25/hook");
        var inRange = policy.CheckUrl("http://10.1.2.3:9/hook");
        var outside = policy.CheckUrl("https://hooks.example.com:22/hook");

        single.ShouldBeNull();
        inRange.ShouldBeNull();
        outside.ShouldNotBeNull().ShouldContain("port:22");
        policy.Allowed.Select(block => block.ToString()).ShouldBe(["10.0.0.0/8"]);
    }

    [Theory]
    [InlineData("port:")]
    [InlineData("port:0")]
    [InlineData("port:65536")]
    [InlineData("port:x")]
    [InlineData("port:-1")]
    [InlineData("port:9-8")]
    [InlineData("port:8-")]
    [InlineData("port:+25")]
    public void TryCreate_BadPortEntry_NamesItAndTheExpectedForm(string entry)
    {
        var created = WebhookTargetPolicy.TryCreate(["port:25", entry], out var policy, out var error);

        created.ShouldBeFalse();
        policy.ShouldBeNull();
        error.ShouldBe($"'{entry}' is not a port or port range such as port:25 or port:8000-8100");
    }

    [Fact]
    public async Task CreateHandler_PortOtherThanWebPortsOnAnAllowListedAddress_IsRefusedBeforeConnecting()
    {
        WebhookTargetPolicy.TryCreate(["127.0.0.1/32"], out var policy, out _).ShouldBeTrue();
        using var client = new HttpClient(policy.CreateHandler(TimeSpan.FromSeconds(10)));
        using var request = SignedRequest.Create(new Uri("http://127.0.0.1:22/hook"), Secret, "d-1", """{"score":80}""");

        var refusal = await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(request, Ct));

        refusal.Message.ShouldStartWith("webhook target port 22 is not a web port;");
    }

    [Fact]
    public async Task CreateHandler_NAT64AddressCarryingLoopback_IsRefusedAtConnectTime()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = new HttpClient(WebhookTargetPolicy.Default.CreateHandler(TimeSpan.FromSeconds(10)));
        var nat64 = new UriBuilder(receiver.Url) { Host = "[64:ff9b::7f00:1]" }.Uri;
        using var request = SignedRequest.Create(nat64, Secret, "d-1", """{"score":80}""");

        var refusal = await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(request, Ct));

        refusal.Message.ShouldContain("carries 127.0.0.1, which is on a loopback network;");
        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public void CreateHandler_RedirectsProxiesAndDecompression_AreOff()
    {
        using var handler = WebhookTargetPolicy.Default.CreateHandler(TimeSpan.FromSeconds(3));

        handler.AllowAutoRedirect.ShouldBeFalse();
        handler.UseProxy.ShouldBeFalse();
        handler.AutomaticDecompression.ShouldBe(DecompressionMethods.None);
        handler.PooledConnectionLifetime.ShouldBe(TimeSpan.FromMinutes(1));
        handler.ConnectTimeout.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task CreateHandler_ReceiverOnLoopbackWithoutAllowList_IsRefusedBeforeConnecting()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = new HttpClient(WebhookTargetPolicy.Default.CreateHandler(TimeSpan.FromSeconds(10)));
        using var request = SignedRequest.Create(receiver.Url, Secret, "d-1", """{"score":80}""");

        var refusal = await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(request, Ct));

        refusal.Message.ShouldStartWith("webhook target 127.0.0.1 is on a loopback network; LeadScore refuses loopback, link-local and private targets unless allow-listed with `leadscore serve --webhook-allow 127.0.0.1/32`");
        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateHandler_HostNameResolvingToLoopback_IsRefusedAtConnectTime()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        using var client = new HttpClient(WebhookTargetPolicy.Default.CreateHandler(TimeSpan.FromSeconds(10)));
        var byName = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        using var request = SignedRequest.Create(byName, Secret, "d-1", """{"score":80}""");

        var refusal = await Should.ThrowAsync<HttpRequestException>(() => client.SendAsync(request, Ct));

        refusal.Message.ShouldStartWith("webhook target localhost resolves to ");
        refusal.Message.ShouldContain(", which is on a loopback network;");
        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateHandler_ReceiverOnAllowListedLoopback_IsDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, cancellationToken: Ct);
        WebhookTargetPolicy.TryCreate(["127.0.0.1/32"], out var policy, out _).ShouldBeTrue();
        using var client = new HttpClient(policy.CreateHandler(TimeSpan.FromSeconds(10)));
        using var request = SignedRequest.Create(receiver.Url, Secret, "d-1", """{"score":80}""");

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var received = receiver.Received.ShouldHaveSingleItem();
        received.DeliveryId.ShouldBe("d-1");
        received.Body.ShouldBe("""{"score":80}""");
        received.SignatureValid.ShouldBeTrue();
    }
}
