using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Parsing;

namespace LeadScore.Server.Webhooks;

/// <summary>
/// Which addresses webhooks may be sent to. Anyone who can save an automation chooses its URL, so
/// without this a webhook is a way to make the server call its own admin ports, the cloud metadata
/// service (169.254.169.254) or anything else on the private network (server-side request forgery).
/// Such targets are refused unless the operator allow-lists them (<c>leadscore serve --webhook-allow</c>).
/// An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by
/// the IPv4 address, as that is where it leads; a host name is judged in its IDNA (UTS #46) form,
/// the one connected to, so <c>１２７．０．０．１</c> is 127.0.0.1. Only web ports are called (80,
/// 443 and 1024-65535) unless more are allow-listed (<c>--webhook-allow port:25</c>): a webhook must
/// not become a way to speak to SSH, SMTP or a database on a reachable host.
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

        // RFC 8215's local-use NAT64 prefix: where the IPv4 address sits depends on a prefix length
        // chosen by the local operator (RFC 6052), so it cannot be read out; nothing public lives there.
        (IPNetwork.Parse("64:ff9b:1::/48"), "on a local-use NAT64 network"),
    ];

    private const string PortPrefix = "port:";

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    private readonly IPNetwork[] _allowed;
    private readonly PortRange[] _allowedPorts;

    private WebhookTargetPolicy(IPNetwork[] allowed, PortRange[] allowedPorts)
    {
        _allowed = allowed;
        _allowedPorts = allowedPorts;
    }

    /// <summary>Refuses every loopback, link-local and private target, and ports other than 80, 443 and 1024-65535: the policy when nothing is allow-listed.</summary>
    public static WebhookTargetPolicy Default { get; } = new([], []);

    /// <summary>The allow-listed blocks, single addresses as /32 or /128.</summary>
    public IReadOnlyList<IPNetwork> Allowed => _allowed;

    /// <summary>
    /// Builds a policy from allow-list entries such as <c>10.0.0.0/8</c>, <c>127.0.0.1</c> or <c>fd00::/8</c>,
    /// and ports beyond 80, 443 and 1024-65535 such as <c>port:25</c> or <c>port:8-9</c>.
    /// A bad entry is an operator's typo, so it comes back as an error naming it rather than an exception.
    /// </summary>
    public static bool TryCreate(
        IEnumerable<string> allowed, [NotNullWhen(true)] out WebhookTargetPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var blocks = new List<IPNetwork>();
        var ports = new List<PortRange>();
        foreach (var entry in allowed)
        {
            if (entry?.Trim() is { } text && text.StartsWith(PortPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (PortRange.Parse(text[PortPrefix.Length..]) is not { } range)
                {
                    policy = null;
                    error = $"'{entry}' is not a port or port range such as port:25 or port:8000-8100";
                    return false;
                }

                ports.Add(range);
                continue;
            }

            error = TryParseBlock(entry, out var block);
            if (error is not null)
            {
                policy = null;
                return false;
            }

            blocks.Add(block);
        }

        policy = new WebhookTargetPolicy([.. blocks], [.. ports]);
        error = null;
        return true;
    }

    /// <summary>Whether a request to <paramref name="address"/> must not be made.</summary>
    public bool IsRefused(IPAddress address) => Refusal(address) is not null;

    /// <summary>Whether a request to <paramref name="port"/> must not be made: not 80, 443 or 1024-65535, and not allow-listed.</summary>
    public bool IsRefused(int port) =>
        port is not (80 or 443 or (>= 1024 and <= 65535)) && !_allowedPorts.Any(range => range.Contains(port));

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

        var host = uri.HostNameType is UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : IdnaForm(uri.Host).TrimEnd('.');

        // The same reading as when connecting: what IPAddress takes there is an address, not a name to resolve.
        if (IPAddress.TryParse(host, out var literal))
        {
            var named = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 ? literal.ToString() : $"{uri.Host} (read as {literal})";
            if (RefusalMessage(named, literal) is { } refused)
            {
                return refused;
            }
        }
        else if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
#pragma warning disable CA1862 // Not OrdinalIgnoreCase, which folds a few letters differently: this asks whether the reading changed more than case.
            var named = host == uri.Host.TrimEnd('.').ToLowerInvariant() ? host : $"{uri.Host} (read as {host})";
#pragma warning restore CA1862
            if (RefusalMessage(named, IPAddress.Loopback) is { } refused)
            {
                return refused;
            }
        }

        return PortRefusalMessage(uri.Port);
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
        if (PortRefusalMessage(endPoint.Port) is { } badPort)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, badPort);
        }

        var host = endPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
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
        if (Refusal(address) is not { } refusal)
        {
            return null;
        }

        var bits = refusal.Judged.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;

        // A mapped address is that IPv4 address written as IPv6; the other forms only carry it, so say so.
        var what = refusal.Judged.Equals(address) || address.IsIPv4MappedToIPv6 ? refusal.What : $"carries {refusal.Judged}, which is {refusal.What}";
        return $"webhook target {target} is {what}; {Refuses} `leadscore serve --webhook-allow {refusal.Judged}/{bits}`";
    }

    /// <summary>
    /// A host name as IDNA (UTS #46) maps it, lower-cased: full-width and other compatibility digits,
    /// letters and full stops (１２７。０。０。１, ①②⑦.0.0.1) become ASCII, so a name that is an address or
    /// localhost in disguise is judged as one. IdnMapping does the whole mapping only with ICU; the
    /// server runs with invariant globalization, where it only encodes punycode, so the mappings that can
    /// turn a name into an address or localhost are made here first. (Connecting re-checks the
    /// addresses a name resolves to in any case; this is the early, explained refusal.)
    /// </summary>
    private static string IdnaForm(string host)
    {
        var mapped = new StringBuilder(host.Length);
        foreach (var rune in host.EnumerateRunes())
        {
            if (rune.Value is >= 0xFF01 and <= 0xFF5E)
            {
                mapped.Append((char)(rune.Value - 0xFEE0));
            }
            else if (rune.Value is 0x3002 or 0xFF61)
            {
                mapped.Append('.');
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber
                && Rune.GetNumericValue(rune) is var number and >= 0 && number == Math.Floor(number))
            {
                mapped.Append(((int)number).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        try
        {
            return new IdnMapping().GetAscii(mapped.ToString()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            // Not a name IDNA can encode (an empty label, say): HttpClient cannot connect to it either.
            return mapped.ToString().ToLowerInvariant();
        }
    }

    private string? PortRefusalMessage(int port) =>
        IsRefused(port)
            ? $"webhook target port {port} is not a web port; LeadScore calls only ports 80, 443 and 1024-65535 unless allow-listed with `leadscore serve --webhook-allow port:{port}`"
            : null;

    /// <summary>Why a request to <paramref name="address"/> must not be made, and the address judged (the IPv4 one it carries, if it does); null when it may.</summary>
    private (string What, IPAddress Judged)? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        var carried = CarriedIPv4(address);
        if (_allowed.Any(block => block.Contains(address) || (carried is not null && block.Contains(carried))))
        {
            return null;
        }

        // The address's own block first: ::1 is IPv6 loopback, not the IPv4-compatible 0.0.0.1.
        // A mapped address is the IPv4 address itself, written as IPv6.
        var own = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (BlockOf(own) is { } what)
        {
            return (what, own);
        }

        return carried is not null && BlockOf(carried) is { } carriedWhat ? (carriedWhat, carried) : null;
    }

    private static string? BlockOf(IPAddress address)
    {
        foreach (var (block, what) in RefusedBlocks)
        {
            if (block.Contains(address))
            {
                return what;
            }
        }

        return null;
    }

    /// <summary>
    /// The IPv4 address an IPv6 one leads to, where the IPv6 form is a way of reaching IPv4: mapped
    /// (::ffff:10.0.0.1, through a dual-stack socket), IPv4-compatible (::10.0.0.1) and translated
    /// (::ffff:0:10.0.0.1), NAT64 (64:ff9b::a00:1, through the network's translator), 6to4
    /// (2002:a00:1::, through a relay) and Teredo (2001:0::/32, the client's address inverted in the last 32 bits).
    /// </summary>
    private static IPAddress? CarriedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (!bytes[..12].ContainsAnyExcept((byte)0) || (!bytes[..8].ContainsAnyExcept((byte)0) && bytes[8] == 0xff && bytes[9] == 0xff && bytes[10] == 0 && bytes[11] == 0)
            || Nat64.Contains(address))
        {
            return new IPAddress(bytes[12..]);
        }

        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes[2..6]);
        }

        if (Teredo.Contains(address))
        {
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                client[i] = (byte)~bytes[12 + i];
            }

            return new IPAddress(client);
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

    private readonly record struct PortRange(int From, int To)
    {
        public bool Contains(int port) => port >= From && port <= To;

        /// <summary>"25" or "8000-8100", each port 1 to 65535 written in plain digits; null otherwise.</summary>
        public static PortRange? Parse(string text)
        {
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            var (fromText, toText) = dash < 0 ? (text, text) : (text[..dash], text[(dash + 1)..]);
            return Port(fromText) is { } from && Port(toText) is { } to && from <= to ? new PortRange(from, to) : null;
        }

        private static int? Port(string text) =>
            text.Length is >= 1 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 65535 and var port
                ? port
                : null;
    }
}
