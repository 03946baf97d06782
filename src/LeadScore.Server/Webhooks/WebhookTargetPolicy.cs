using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Parsing;

namespace LeadScore.Server.Webhooks;

/// <summary>
/// Which addresses webhooks may be sent to. Anyone who can save an automation chooses its URL, so
/// without this a webhook is a way to make the server call its own admin ports, the cloud metadata
/// service (169.254.169.254) or anything else on the private network (server-side request forgery).
/// Such targets are refused unless the operator allow-lists them (<c>leadscore serve --webhook-allow</c>).
/// </summary>
public sealed class WebhookTargetPolicy
{
    private const string Refuses = "LeadScore refuses loopback, link-local and private targets unless allow-listed with";

    private static readonly (IPNetwork Block, string What)[] RefusedBlocks =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "on a loopback network"),
        (IPNetwork.Parse("::1/128"), "on a loopback network"),

        // All of 0.0.0.0/8 ("this network"), not only 0.0.0.0: nothing public lives there, and Linux connects 0.0.0.0 to the local host.
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("169.254.0.0/16"), "on a link-local network"),
        (IPNetwork.Parse("fe80::/10"), "on a link-local network"),
        (IPNetwork.Parse("10.0.0.0/8"), "on a private network"),
        (IPNetwork.Parse("172.16.0.0/12"), "on a private network"),
        (IPNetwork.Parse("192.168.0.0/16"), "on a private network"),
        (IPNetwork.Parse("fc00::/7"), "on a private network"),
        (IPNetwork.Parse("100.64.0.0/10"), "on a carrier-grade NAT network"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address"),
    ];

    private readonly IPNetwork[] _allowed;

    private WebhookTargetPolicy(IPNetwork[] allowed) => _allowed = allowed;

    /// <summary>Refuses every loopback, link-local and private target: the policy when nothing is allow-listed.</summary>
    public static WebhookTargetPolicy Default { get; } = new([]);

    /// <summary>The allow-listed blocks, single addresses as /32 or /128.</summary>
    public IReadOnlyList<IPNetwork> Allowed => _allowed;

    /// <summary>
    /// Builds a policy from allow-list entries such as <c>10.0.0.0/8</c>, <c>127.0.0.1</c> or <c>fd00::/8</c>.
    /// A bad entry is an operator's typo, so it comes back as an error naming it rather than an exception.
    /// </summary>
    public static bool TryCreate(
        IEnumerable<string> allowed, [NotNullWhen(true)] out WebhookTargetPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var blocks = new List<IPNetwork>();
        foreach (var entry in allowed)
        {
            error = TryParseBlock(entry, out var block);
            if (error is not null)
            {
                policy = null;
                return false;
            }

            blocks.Add(block);
        }

        policy = new WebhookTargetPolicy([.. blocks]);
        error = null;
        return true;
    }

    /// <summary>Whether a request to <paramref name="address"/> must not be made.</summary>
    public bool IsRefused(IPAddress address) => Refusal(address) is not null;

    /// <summary>The webhook targets of an automation this policy refuses, each at its JSON path, as the automation's other errors are.</summary>
    public IReadOnlyList<ModelDiagnostic> CheckWebhooks(AutomationDefinition automation)
    {
        ArgumentNullException.ThrowIfNull(automation);
        var refused = new List<ModelDiagnostic>();
        for (var i = 0; i < automation.Actions.Length; i++)
        {
            if (automation.Actions[i] is WebhookAction webhook && CheckUrl(webhook.Url.ToString()) is { } problem)
            {
                refused.Add(new ModelDiagnostic($"$.actions[{i}].url", DiagnosticCodes.InvalidValue, problem));
            }
        }

        return refused;
    }

    /// <summary>
    /// Checks a webhook URL when an automation is saved: null when it is fine, else what is wrong and
    /// how to fix it. Host names other than localhost are not resolved here, as what they resolve to
    /// may change: <see cref="CreateHandler"/> checks every address again when it connects.
    /// </summary>
    public string? CheckUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        // Also catches "/hook": on Unix, Uri reads an absolute path as a file: URL.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"webhook URL '{url}' is not an absolute http or https URL; give one such as https://example.com/hooks/leadscore";
        }

        // Not echoed: the message may be logged or returned, and this part holds a password.
        if (uri.UserInfo.Length > 0)
        {
            return "webhook URL must not contain a user name or password (user:password@ before the host); remove it: receivers authenticate LeadScore by the LeadScore-Signature header";
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal))
        {
            return RefusalMessage(literal.ToString(), literal);
        }

        var name = uri.Host.TrimEnd('.');
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return RefusalMessage(name, IPAddress.Loopback);
        }

        return null;
    }

    /// <summary>
    /// A handler that sends webhooks only to allowed addresses. The check is made on the addresses it
    /// connects to, after resolving, so a name that resolved to a public address when the automation
    /// was saved and to a private one now (DNS rebinding) is refused too.
    /// </summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        return new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, connectTimeout, cancellationToken),
            ConnectTimeout = connectTimeout,

            // A proxy would be the address checked, and the proxy would then reach the private network for us.
            UseProxy = false,

            // A public receiver could redirect to http://169.254.169.254/: the redirect would not pass the check above.
            AllowAutoRedirect = false,

            // Connections are re-made (and their addresses re-checked) this often, so a changed DNS answer is seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
    }

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var host = endPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.NameResolutionError, $"webhook target {host} resolves to no address");
        }

        // Every address, not only the one connected to: a name that mixes public and private
        // addresses is either a mistake or an attempt to get past this check.
        foreach (var address in addresses)
        {
            var described = literal is null ? $"{host} resolves to {address}, which" : address.ToString();
            if (RefusalMessage(described, address) is { } message)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, message);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), timeout.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new HttpRequestException(
                    HttpRequestError.ConnectionError,
                    $"webhook target {host}:{endPoint.Port} did not accept a connection within {connectTimeout.TotalSeconds:0.###} s");
            }
            catch (SocketException exception)
            {
                // The next address may answer (a name with IPv6 and IPv4 addresses where one is not served).
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, $"webhook target {host}:{endPoint.Port}: {last!.Message}", last);
    }

    private string? RefusalMessage(string target, IPAddress address)
    {
        if (Refusal(address) is not { } what)
        {
            return null;
        }

        var suggested = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var bits = suggested.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return $"webhook target {target} is {what}; {Refuses} `leadscore serve --webhook-allow {suggested}/{bits}`";
    }

    private string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // ::ffff:10.0.0.1 reaches 10.0.0.1 through a dual-stack socket: judge it as the IPv4 address.
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowed.Any(block => block.Contains(address) || block.Contains(judged)))
        {
            return null;
        }

        foreach (var (block, what) in RefusedBlocks)
        {
            if (block.Contains(judged))
            {
                return what;
            }
        }

        return null;
    }

    private static string? TryParseBlock(string? entry, out IPNetwork block)
    {
        block = default;
        var text = entry?.Trim() ?? "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? text : text[..slash];
        if (!IsPlainAddress(addressPart) || !IPAddress.TryParse(addressPart, out var address))
        {
            return NotABlock(entry);
        }

        if (slash < 0)
        {
            block = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return null;
        }

        if (!IPNetwork.TryParse(text, out block))
        {
            return NotABlock(entry);
        }

        // IPNetwork clears the bits after the prefix without a word: 10.1.2.3/8 would silently allow all of 10/8.
        if (!block.BaseAddress.Equals(address))
        {
            return $"'{entry}' has address bits set after the /{block.PrefixLength} prefix; write {block} for the whole block or {address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)} for the one address";
        }

        return null;
    }

    /// <summary>
    /// IPAddress.TryParse also takes "10", "127.1" and "0x7f.0.0.1" (inet_aton forms), which in an
    /// allow-list are far more likely typos than intent. IPv4 must be four plain decimal parts.
    /// </summary>
    private static bool IsPlainAddress(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return true;
        }

        var parts = text.Split('.');
        return parts.Length == 4
            && parts.All(part => part.Length is >= 1 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0'));
    }

    private static string NotABlock(string? entry) =>
        $"'{entry}' is not an address or CIDR block such as 10.0.0.0/8 or 127.0.0.1";
}
