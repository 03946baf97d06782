using OpenQA.Selenium.Chrome;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// t.js in a real Chromium, on a real site, reporting to a <see cref="CollectRecorder"/>: what it
/// sends, when, and when it sends nothing. The server's side of the protocol is tested elsewhere.
/// </summary>
public sealed class SnippetProtocolTests
{
    private const string SiteKey = "pk_test_snippet";

    /// <summary>
    /// Records what the page hands to sendBeacon and fetch, so that "sent nothing" is checked where
    /// the snippet decides it, rather than by waiting a while for requests that should not come.
    /// </summary>
    private const string RequestSpy = """
        (() => {
          window.__sent = [];
          const beacon = navigator.sendBeacon.bind(navigator);
          navigator.sendBeacon = (url, data) => { window.__sent.push(String(url)); return beacon(url, data); };
          const fetch = window.fetch.bind(window);
          window.fetch = (url, init) => { window.__sent.push(String(url)); return fetch(url, init); };
        })();
        """;

    private const string GlobalPrivacyControl =
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Snippet_FirstPageLoad_SendsSessionStartThenPageViewInOneRequest()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/blog"));

            browser.Find("#campaign-link").Click();
            var request = await recorder.WaitForRequestAsync(b => b.EventTypes.Contains("page_view"), "the first page view", Ct);

            var batch = request.ReadBatch();
            request.Method.ShouldBe("POST");
            request.Header("Content-Type").ShouldBe("text/plain;charset=UTF-8");
            request.SiteKey.ShouldBe(SiteKey);
            request.VisitorId.ShouldBe(batch.VisitorId);
            recorder.Received.ShouldAllBe(r => r.Method == "POST");
            batch.SiteKey.ShouldBe(SiteKey);
            batch.VisitorId.ShouldMatch("^[A-Za-z0-9_-]{22,}$");
            batch.SessionId.ShouldMatch("^[A-Za-z0-9_-]{22,}$");
            batch.Identify.ShouldBeNull();
            batch.EventTypes.ShouldBe(["session_start", "page_view"]);
            batch.Events.Select(e => e.Id).Distinct().Count().ShouldBe(2);
            var pageView = batch.Events[1];
            pageView.Url.ShouldBe(site.Url("/pricing?utm_source=partner-blog&utm_medium=referral&utm_campaign=spring").ToString());
            pageView.Title.ShouldBe("Pricing - Acme Analytics");
            pageView.Referrer.ShouldBe(site.Url("/blog").ToString());
            pageView.Utm.ShouldBe(new Dictionary<string, string> { ["source"] = "partner-blog", ["medium"] = "referral", ["campaign"] = "spring" });
            pageView.Properties.ShouldBeNull();
            batch.Events[0].Url.ShouldBe(pageView.Url);
        });
    }

    [Fact]
    public async Task Snippet_FirstPageLoad_SetsVisitorAndSessionCookies()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            var openedAt = DateTime.UtcNow;

            browser.Open(site.Url("/"));
            var batch = await recorder.WaitForEventAsync("page_view", Ct);

            var visitor = browser.CookieNamed("ls_vid").ShouldNotBeNull();
            var session = browser.CookieNamed("ls_sid").ShouldNotBeNull();
            visitor.Value.ShouldBe(batch.VisitorId);
            session.Value.ShouldBe(batch.SessionId);
            visitor.Path.ShouldBe("/");
            visitor.SameSite.ShouldBe("Lax");
            visitor.Secure.ShouldBeFalse();
            // Two years asked; Chromium caps every cookie at 400 days (and the snippet renews it on each visit).
            visitor.Expiry!.Value.ToUniversalTime().ShouldBeGreaterThan(openedAt.AddDays(399));
            session.SameSite.ShouldBe("Lax");
            session.Expiry!.Value.ToUniversalTime().ShouldBeGreaterThan(openedAt.AddMinutes(29));
            session.Expiry!.Value.ToUniversalTime().ShouldBeLessThan(openedAt.AddMinutes(31).Add(BrowserSession.Patience));
        });
    }

    [Fact]
    public async Task Snippet_SecondPageInTheSameSession_SendsPageViewOnlyWithTheSameIds()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/"));
            var first = await recorder.WaitForEventAsync("page_view", Ct);

            browser.Find("#pricing-link").Click();
            var second = (await recorder.WaitForRequestAsync(b => b.Events.Any(e => e.Url.EndsWith("/pricing", StringComparison.Ordinal)), "the pricing page view", Ct)).ReadBatch();

            second.EventTypes.ShouldBe(["page_view"]);
            second.VisitorId.ShouldBe(first.VisitorId);
            second.SessionId.ShouldBe(first.SessionId);
            second.Events[0].Referrer.ShouldBe(site.Url("/").ToString());
            second.Events[0].Utm.ShouldBeNull();
        });
    }

    [Fact]
    public async Task Snippet_PushState_SendsPageViewForTheNewUrl()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/app"));
            var first = await recorder.WaitForEventAsync("page_view", Ct);

            browser.Find("#to-settings").Click();
            var request = await recorder.WaitForRequestAsync(b => b.Events.Any(e => e.Url.EndsWith("/app/settings", StringComparison.Ordinal)), "the settings page view", Ct);

            var batch = request.ReadBatch();
            batch.EventTypes.ShouldBe(["page_view"]);
            batch.Events[0].Url.ShouldBe(site.Url("/app/settings").ToString());
            batch.Events[0].Title.ShouldBe("Settings - Acme App");
            batch.SessionId.ShouldBe(first.SessionId);
            recorder.Received.Count(r => r.ReadBatch().EventTypes.Contains("page_view")).ShouldBe(2);
        });
    }

    [Fact]
    public async Task Snippet_BackAfterPushState_SendsPageViewForThePreviousUrl()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/app"));
            browser.Find("#to-settings").Click();
            await recorder.WaitForRequestAsync(b => b.Events.Any(e => e.Url.EndsWith("/app/settings", StringComparison.Ordinal)), "the settings page view", Ct);

            browser.Driver.Navigate().Back();
            var received = await recorder.WaitUntilAsync(r => r.Count(x => x.ReadBatch().EventTypes.Contains("page_view")) == 3, "a third page view", Ct);

            received.Select(r => r.ReadBatch()).SelectMany(b => b.Events).Where(e => e.Type == "page_view").Select(e => new Uri(e.Url).AbsolutePath)
                .ShouldBe(["/app", "/app/settings", "/app"]);
        });
    }

    [Fact]
    public async Task Snippet_BackToThePreviousPage_SendsItsPageViewAgain()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/"));
            browser.Find("#pricing-link").Click();
            await recorder.WaitForRequestAsync(b => b.Events.Any(e => e.Url.EndsWith("/pricing", StringComparison.Ordinal)), "the pricing page view", Ct);

            browser.Driver.Navigate().Back();
            var received = await recorder.WaitUntilAsync(r => r.Count(x => x.ReadBatch().EventTypes.Contains("page_view")) == 3, "a third page view", Ct);

            received.Select(r => r.ReadBatch()).SelectMany(b => b.Events).Where(e => e.Type == "page_view").Select(e => new Uri(e.Url).AbsolutePath)
                .ShouldBe(["/", "/pricing", "/"]);
        });
    }

    [Fact]
    public async Task Snippet_GlobalPrivacyControl_SendsNothingAndSetsNoCookie()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        browser.AddInitScript(RequestSpy);
        browser.AddInitScript(GlobalPrivacyControl);
        await browser.RunAsync(() =>
        {
            browser.Open(site.Url("/pricing"));
            WaitForSnippet(browser);

            browser.Run("leadscore.track('pricing_viewed', {plan: 'pro'}); leadscore.identify({email: 'gpc@example.com'}); leadscore.page();");
            var sent = Sent(browser);

            browser.Run("return navigator.globalPrivacyControl").ShouldBe(true);
            sent.ShouldBeEmpty();
            browser.Driver.Manage().Cookies.AllCookies.ShouldBeEmpty();
            recorder.Received.ShouldBeEmpty();
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Snippet_DoNotTrack_SendsNothingAndSetsNoCookie()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start(DoNotTrack);
        browser.AddInitScript(RequestSpy);
        await browser.RunAsync(() =>
        {
            browser.Open(site.Url("/pricing"));
            WaitForSnippet(browser);

            browser.Find("#choose-pro").Click();
            var sent = Sent(browser);

            browser.Run("return navigator.doNotTrack").ShouldBe("1");
            sent.ShouldBeEmpty();
            browser.Driver.Manage().Cookies.AllCookies.ShouldBeEmpty();
            recorder.Received.ShouldBeEmpty();
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Snippet_OptOut_DeletesItsCookiesAndSendsNothingOnThisOrLaterPages()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        browser.AddInitScript(RequestSpy);
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/"));
            await recorder.WaitForEventAsync("page_view", Ct);

            browser.Run("leadscore.optOut(); leadscore.track('after_opt_out');");
            var sentOnThisPage = Sent(browser);
            browser.Open(site.Url("/pricing"));
            WaitForSnippet(browser);
            browser.Find("#choose-pro").Click();
            var sentOnTheNextPage = Sent(browser);

            sentOnThisPage.ShouldHaveSingleItem(); // the first page view, before opting out
            sentOnTheNextPage.ShouldBeEmpty();
            browser.CookieNamed("ls_optout").ShouldNotBeNull().Value.ShouldBe("1");
            browser.CookieNamed("ls_vid").ShouldBeNull();
            browser.CookieNamed("ls_sid").ShouldBeNull();
        });
    }

    [Fact]
    public async Task Snippet_OptInAfterOptOut_SendsAgainAsANewVisitor()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/"));
            var before = await recorder.WaitForEventAsync("page_view", Ct);
            browser.Run("leadscore.optOut(); leadscore.track('while_opted_out');");

            browser.Run("leadscore.optIn(); leadscore.track('after_opt_in');");
            var after = await recorder.WaitForEventAsync("after_opt_in", Ct);

            after.EventTypes.ShouldBe(["session_start", "after_opt_in"]);
            after.VisitorId.ShouldNotBe(before.VisitorId);
            after.SessionId.ShouldNotBe(before.SessionId);
            recorder.Received.ShouldNotContain(r => r.ReadBatch().EventTypes.Contains("while_opted_out"));
            browser.CookieNamed("ls_optout").ShouldBeNull();
        });
    }

    [Fact]
    public async Task Snippet_CallsQueuedBeforeLoad_AreReplayedAfterThePageView()
    {
        var queued = new SitePage("/queued", "Queued calls", "<h1>Queued</h1>", Head: """
            <script>
              window.leadscore = window.leadscore || [];
              leadscore.push(["track", "queued_before_load", {source: "head"}]);
              leadscore.push(["identify", {email: "early@example.com", plan: "pro"}]);
            </script>
            """);
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, [queued], cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/queued"));

            var batch = await recorder.WaitForEventAsync("queued_before_load", Ct);

            batch.EventTypes.ShouldBe(["session_start", "page_view", "queued_before_load"]);
            batch.Events[2].Properties!.ToJsonString().ShouldBe("""{"source":"head"}""");
            var identify = batch.Identify.ShouldNotBeNull();
            identify.Email.ShouldBe("early@example.com");
            identify.Traits.ToJsonString().ShouldBe("""{"plan":"pro"}""");
            browser.Run("return Array.isArray(window.leadscore)").ShouldBe(false);
        });
    }

    [Fact]
    public async Task Snippet_MarkedFormSubmit_SendsIdentifyAndFormSubmitInOneRequestAndStillSubmits()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/contact"));
            var first = await recorder.WaitForEventAsync("page_view", Ct);
            browser.Find("input[name=name]").SendKeys("Ada Lovelace");
            browser.Find("input[name=email]").SendKeys("ada@example.com");
            browser.Find("input[name=company]").SendKeys("Analytical Engines");

            browser.Find("#send").Click();
            var batch = await recorder.WaitForEventAsync("form_submit", Ct);
            browser.WaitUntil(driver => driver.Url.EndsWith("/thanks", StringComparison.Ordinal), "the thanks page");

            batch.EventTypes.ShouldBe(["form_submit"]);
            batch.Events[0].Properties!.ToJsonString().ShouldBe("""{"form":"Contact us"}""");
            batch.Events[0].Url.ShouldBe(site.Url("/contact").ToString());
            var identify = batch.Identify.ShouldNotBeNull();
            identify.Email.ShouldBe("ada@example.com");
            identify.Traits.ToJsonString().ShouldBe("""{"name":"Ada Lovelace","company":"Analytical Engines"}""");
            batch.VisitorId.ShouldBe(first.VisitorId);
            browser.Find("#thanks").Text.ShouldStartWith("Thanks");
        });
    }

    [Fact]
    public async Task Snippet_MarkedFormWithoutAName_UsesItsNameAttributeAndSkipsSecretAndNonTextFields()
    {
        var signup = new SitePage("/signup", "Sign up", """
            <form data-leadscore-form name="signup" method="post" action="/thanks">
              <input name="work_email">
              <input name="role">
              <input type="password" name="choose_password">
              <input name="card_number">
              <input type="checkbox" name="email_updates" checked>
              <input type="hidden" name="plan" value="trial">
              <button id="send" type="submit">Start trial</button>
            </form>
            """);
        var thanks = SitePages.DefaultPages.Single(p => p.Path == "/thanks");
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, [signup, thanks], cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/signup"));
            browser.Find("input[name=work_email]").SendKeys("linus@example.com");
            browser.Find("input[name=role]").SendKeys("CTO");
            browser.Find("input[name=choose_password]").SendKeys("hunter2");
            browser.Find("input[name=card_number]").SendKeys("4242424242424242");

            browser.Find("#send").Click();
            var batch = await recorder.WaitForEventAsync("form_submit", Ct);

            batch.Events.Single(e => e.Type == "form_submit").Properties!.ToJsonString().ShouldBe("""{"form":"signup"}""");
            var identify = batch.Identify.ShouldNotBeNull();
            identify.Email.ShouldBe("linus@example.com");
            identify.Traits.ToJsonString().ShouldBe("""{"role":"CTO"}""");
            browser.WaitUntil(driver => driver.Url.EndsWith("/thanks", StringComparison.Ordinal), "the thanks page");
        });
    }

    [Fact]
    public async Task Snippet_Track_SendsTheEventWithItsProperties()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/pricing"));
            var first = await recorder.WaitForEventAsync("page_view", Ct);

            browser.Find("#choose-pro").Click();
            var batch = await recorder.WaitForEventAsync("pricing_viewed", Ct);

            batch.EventTypes.ShouldBe(["pricing_viewed"]);
            batch.Events[0].Properties!.ToJsonString().ShouldBe("""{"plan":"pro"}""");
            batch.Events[0].Title.ShouldBe("Pricing - Acme Analytics");
            batch.SessionId.ShouldBe(first.SessionId);
        });
    }

    [Fact]
    public async Task Snippet_EventsInOneTick_GoInOneRequest()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(async () =>
        {
            browser.Open(site.Url("/"));
            await recorder.WaitForEventAsync("page_view", Ct);

            browser.Run("leadscore.track('first'); leadscore.identify({email: 'grace@example.com'}); leadscore.track('second');");
            var batch = await recorder.WaitForEventAsync("first", Ct);

            batch.EventTypes.ShouldBe(["first", "second"]);
            var identify = batch.Identify.ShouldNotBeNull();
            identify.Email.ShouldBe("grace@example.com");
            identify.Traits.Count.ShouldBe(0);
        });
    }

    [Fact]
    public async Task Snippet_Misuse_NeverThrowsIntoThePage()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        await browser.RunAsync(() =>
        {
            browser.Open(site.Url("/"));
            WaitForSnippet(browser);

            var result = browser.Run("""
                leadscore.identify({name: 'no email'});
                leadscore.identify(null);
                leadscore.track();
                leadscore.track('odd', 'not an object');
                leadscore.push(null, ['nope'], ['push', ['track', 'x']]);
                return 'still running';
                """);

            result.ShouldBe("still running");
            browser.ConsoleLog().ShouldContain(line => line.Contains("leadscore.identify needs an email"));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Snippet_Load_AddsNoGlobalButLeadscore()
    {
        await using var recorder = await CollectRecorder.StartAsync(Ct);
        await using var site = await SitePages.StartAsync(recorder.Address, SiteKey, cancellationToken: Ct);
        using var browser = BrowserSession.Start();
        // Compared at the load event (async scripts run before it), before chromedriver's own scripts add theirs.
        browser.AddInitScript("""
            (() => {
              const before = new Set(Object.getOwnPropertyNames(window));
              addEventListener("load", () => {
                window.__globalsAdded = Object.getOwnPropertyNames(window).filter(name => !before.has(name));
              });
            })();
            """);
        await browser.RunAsync(() =>
        {
            browser.Open(site.Url("/"));

            var added = (IEnumerable<object>)browser.Run("return window.__globalsAdded")!;

            added.ShouldBe(["leadscore"]);
            return Task.CompletedTask;
        });
    }

    /// <summary>Every site's visitors download it: a budget that fails long before it grows into a library.</summary>
    [Fact]
    public void Snippet_Embedded_StaysSmall()
    {
        var snippet = CollectRecorder.EmbeddedSnippet();

        snippet.Length.ShouldBeLessThan(8 * 1024);
    }

    /// <summary>Chromium's "Send a Do Not Track request" setting: navigator.doNotTrack is then "1".</summary>
    private static void DoNotTrack(ChromeOptions options) => options.AddUserProfilePreference("enable_do_not_track", true);

    /// <summary>Waits until t.js has run: it has replaced any queue with its API (and scheduled its first sends).</summary>
    private static void WaitForSnippet(BrowserSession browser) =>
        browser.WaitUntil(_ => browser.Run("return typeof window.leadscore?.track === 'function'") is true, "t.js to load");

    /// <summary>
    /// The URLs this page has handed to sendBeacon or fetch, once the snippet's pending sends (a
    /// microtask after the call that queued them) have had their turn.
    /// </summary>
    private static IReadOnlyList<string> Sent(BrowserSession browser) =>
        [.. ((IEnumerable<object>)browser.Driver.ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; setTimeout(() => done(window.__sent), 0);")!).Cast<string>()];
}
