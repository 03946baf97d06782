using System.Text.Json;
using LeadScore.Server.Tests.Browser;
using OpenQA.Selenium;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>What a user does in the dashboard, in a <see cref="BrowserSession"/>: open it, sign in, find what is on screen, wait for it.</summary>
public sealed class DashboardPage(BrowserSession browser, Uri server)
{
    public BrowserSession Browser => browser;

    public IWebDriver Driver => browser.Driver;

    public void Open(string hash = "") => browser.Open(new Uri(server, "/" + hash));

    /// <summary>Opens the dashboard, signs in with <paramref name="key"/> and waits for the leads.</summary>
    public void SignIn(string key)
    {
        Open();
        TypeInto(Field("API key"), key);
        Button("Sign in").Click();
        WaitForHeading("Leads");
        WaitFor("table.leads tbody tr", "the ranked leads");
    }

    /// <summary>The form control whose label reads <paramref name="label"/>.</summary>
    public IWebElement Field(string label) =>
        browser.WaitUntil(d => d.FindElements(By.XPath($"//label[normalize-space()='{label}']")).FirstOrDefault() is { } l
            ? d.FindElement(By.Id(l.GetAttribute("for")!)) : null, $"the field labelled '{label}'")!;

    public IWebElement Button(string text) =>
        browser.WaitUntil(d => d.FindElements(By.XPath($"//button[normalize-space()='{text}']")).FirstOrDefault(b => b.Displayed), $"the button '{text}'")!;

    public IWebElement Link(string text) =>
        browser.WaitUntil(d => d.FindElements(By.XPath($"//a[normalize-space()='{text}']")).FirstOrDefault(a => a.Displayed), $"the link '{text}'")!;

    public void WaitForHeading(string text) =>
        browser.WaitUntil(d => d.FindElements(By.CssSelector("main h1")).Any(h => h.Text == text), $"the heading '{text}'");

    public IWebElement WaitFor(string css, string what) =>
        browser.WaitUntil(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), what)!;

    /// <summary>Waits until the element at <paramref name="css"/> shows text containing <paramref name="text"/>, and returns that text.</summary>
    public string WaitForText(string css, string text) =>
        browser.WaitUntil(d => d.FindElements(By.CssSelector(css)).Select(e => e.Text).FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal)),
            $"'{text}' in {css}")!;

    public IWebElement Find(string css) => browser.Find(css);

    /// <summary>Waits until the ranked list shows exactly these leads, in this order.</summary>
    public void WaitForOnlyLeads(params string[] ids) =>
        browser.WaitUntil(d => d.FindElements(By.CssSelector("table.leads tbody tr")).Select(r => r.GetAttribute("data-lead")).SequenceEqual(ids),
            $"the leads list to show only {string.Join(", ", ids)}");

    public IReadOnlyList<IWebElement> All(string css) => Driver.FindElements(By.CssSelector(css));

    public void Choose(string label, string optionText) =>
        Field(label).FindElement(By.XPath($"option[normalize-space()='{optionText}']")).Click();

    public static void TypeInto(IWebElement input, string text)
    {
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Replaces an input's text the way a user does (select all, type), so the page's input handlers run.</summary>
    public static void Retype(IWebElement input, string text)
    {
        input.SendKeys(Keys.Control + "a");
        input.SendKeys(text);
    }

    /// <summary>
    /// Saves a PNG of the whole page (up to <paramref name="maxHeight"/> pixels tall) as <paramref name="name"/>.png
    /// in <paramref name="folder"/>, at the current window width.
    /// </summary>
    public void CaptureFullPage(string folder, string name, int maxHeight = 2600)
    {
        var width = Convert.ToInt32(browser.Run("return window.innerWidth"), System.Globalization.CultureInfo.InvariantCulture);
        var height = Convert.ToInt32(browser.Run("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
        var clip = new Dictionary<string, object?> { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = Math.Min(height, maxHeight), ["scale"] = 1 };
        var shot = browser.Driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?>
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = clip,
        });
        var data = shot switch
        {
            Dictionary<string, object> d => (string)d["data"],
            JsonElement e => e.GetProperty("data").GetString()!,
            _ => throw new InvalidOperationException($"Unexpected screenshot answer {shot?.GetType()}"),
        };
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name + ".png"), Convert.FromBase64String(data));
    }
}
