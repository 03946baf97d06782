using System.Runtime.CompilerServices;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// A headless Debian Chromium driven through its chromedriver, with a fresh profile (so no cookies
/// carry over between sessions), a fixed 1280x900 window (a 1280x757 viewport in headless Chromium
/// 156) and a desktop user agent: the server drops headless and bot user agents. Wrap a test body in
/// <see cref="RunAsync"/> so a failure leaves a screenshot and the console log in <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class BrowserSession : IDisposable, IAsyncDisposable
{
    /// <summary>The browser: $LEADSCORE_CHROMIUM when set, else Debian's Chromium.</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("LEADSCORE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Its driver: $LEADSCORE_CHROMEDRIVER when set, else Debian's chromedriver.</summary>
    public static string DriverPath { get; } = Environment.GetEnvironmentVariable("LEADSCORE_CHROMEDRIVER") is { Length: > 0 } path ? path : "/usr/bin/chromedriver";

    public const string InstallCommand = "apt-get install -y chromium chromium-driver";

    /// <summary>Chrome on desktop Linux, without the "HeadlessChrome" that headless mode puts in its own.</summary>
    public const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

    /// <summary>How long waits in the browser (a page load, a condition) may take before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ChromeDriverService _service;
    private bool _disposed;

    private BrowserSession(ChromeDriverService service, ChromeDriver driver)
    {
        _service = service;
        Driver = driver;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Where screenshots go: $LEADSCORE_SCREENSHOTS when set, else "screenshots" next to the test assembly.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("LEADSCORE_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>
    /// Starts Chromium. <paramref name="configure"/> may add arguments or profile preferences before
    /// launch. Throws, saying how to install them, when chromium or chromedriver is missing: browser
    /// tests fail rather than skip.
    /// </summary>
    public static BrowserSession Start(Action<ChromeOptions>? configure = null)
    {
        var missing = new[] { ChromiumPath, DriverPath }.Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium and its driver; missing: {string.Join(", ", missing)}. "
                + $"Install them as root with '{InstallCommand}' (./test.sh does so when run as root).");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1280,900", $"--user-agent={UserAgent}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        configure?.Invoke(options);
        try
        {
            var driver = new ChromeDriver(service, options, Patience);
            driver.Manage().Timeouts().PageLoad = Patience;
            driver.Manage().Timeouts().AsynchronousJavaScript = Patience;
            return new BrowserSession(service, driver);
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="source"/> in every document this session opens from now on, before the page's own scripts.</summary>
    public void AddInitScript(string source) =>
        Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = source });

    /// <summary>Opens <paramref name="url"/> and returns once it has loaded (async scripts included: they hold up the load event).</summary>
    public void Open(Uri url) => Driver.Navigate().GoToUrl(url);

    /// <summary>Runs <paramref name="script"/> (a function body: "return ..." to get a value) in the current page.</summary>
    public object? Run(string script, params object[] args) => Driver.ExecuteScript(script, args);

    public IWebElement Find(string cssSelector) => Driver.FindElement(By.CssSelector(cssSelector));

    /// <summary>Polls <paramref name="condition"/> until it returns a value other than null or false; fails after <see cref="Patience"/>.</summary>
    public T WaitUntil<T>(Func<IWebDriver, T> condition, string waitingFor)
    {
        var wait = new WebDriverWait(Driver, Patience)
        {
            PollingInterval = TimeSpan.FromMilliseconds(50),
            Message = $"Waited {Patience} for {waitingFor} at {Driver.Url}",
        };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>The cookie <paramref name="name"/> of the current page, or null.</summary>
    public Cookie? CookieNamed(string name) => Driver.Manage().Cookies.GetCookieNamed(name);

    /// <summary>The browser console since the last call (each call drains it), as "LEVEL message" lines.</summary>
    public IReadOnlyList<string> ConsoleLog() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => $"{entry.Level} {entry.Message}")];

    /// <summary>Saves a PNG of the window as <paramref name="name"/>.png in <see cref="ScreenshotDirectory"/> and returns its path.</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, FileName(name) + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>
    /// Runs a test body; when it throws, saves a screenshot and the console log named after the test
    /// (Class.Method), writes their paths to the test output, and rethrows.
    /// </summary>
    public async Task RunAsync(Func<Task> body, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body();
        }
        catch (Exception)
        {
            SaveEvidence(TestName(caller));
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            _service.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void SaveEvidence(string name)
    {
        var output = TestContext.Current.TestOutputHelper;
        try
        {
            output?.WriteLine($"Screenshot: {Screenshot(name)}");
            var log = Path.Combine(ScreenshotDirectory, FileName(name) + ".console.txt");
            File.WriteAllLines(log, [$"URL: {Driver.Url}", .. ConsoleLog()]);
            output?.WriteLine($"Console log: {log}");
        }
        catch (WebDriverException e)
        {
            // The browser itself may be what failed: the test's own exception is what matters.
            output?.WriteLine($"No screenshot: {e.Message}");
        }
    }

    private static string TestName(string caller)
    {
        var context = TestContext.Current;
        return $"{context.TestClass?.TestClassSimpleName ?? "Test"}.{context.TestMethod?.MethodName ?? caller}";
    }

    private static string FileName(string name) =>
        string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsWhiteSpace(c) ? '_' : c));
}
