/* LeadScore: <script src="https://LEADSCORE_HOST/t.js" data-site-key="pk_..." async></script> */
(() => {
  "use strict";
  const w = window, d = document, n = navigator;
  // Nothing here may throw into the page.
  const safe = (f) => function () {
    try { return f.apply(this, arguments); } catch (e) { return undefined; }
  };
  const waiting = w.leadscore;
  if (waiting && typeof waiting.track === "function") return; // loaded twice

  const VID = "ls_vid", SID = "ls_sid", OPTOUT = "ls_optout", YEARS2 = 63072000, SESSION = 1800;
  const ID = /^[A-Za-z0-9_-]{16,64}$/;
  const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const SKIP_TYPES = /^(password|hidden|file|submit|button|reset|image|checkbox|radio)$/;
  const SECRET_NAMES = /pass|pwd|card|cvv|cvc|ssn|iban|secret|token/i;
  // Via the prototype: a form's fields can shadow its properties (name="id").
  const attr = (el, name) => Element.prototype.getAttribute.call(el, name);

  let key, endpoint, privacy, visitor, session, touched = 0, events = [], identity, proof, scheduled, lastPage;

  const readCookie = (name) => (d.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)")) || [])[1] || "";
  const writeCookie = (name, value, maxAge) => {
    d.cookie = name + "=" + value + "; max-age=" + maxAge + "; path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
  };
  const randomId = () => {
    let id = "";
    for (const b of crypto.getRandomValues(new Uint8Array(22))) id += CHARS[b & 63];
    return id;
  };
  const blocked = () => privacy || !key || !endpoint || readCookie(OPTOUT) === "1";

  // Ids stay in memory too: a page whose cookies are refused keeps one visitor and session.
  const remember = () => {
    touched = Date.now();
    writeCookie(VID, visitor, YEARS2);
    writeCookie(SID, session, SESSION);
  };
  const startBatch = () => {
    const vid = readCookie(VID), sid = readCookie(SID);
    const fresh = !ID.test(sid) && !(session && Date.now() - touched < SESSION * 1000);
    visitor = ID.test(vid) ? vid : visitor || randomId();
    session = ID.test(sid) ? sid : fresh ? randomId() : session;
    remember();
    if (fresh) events.push(event("session_start"));
  };

  const utm = () => {
    const params = new URLSearchParams(location.search), found = {};
    for (const name of ["source", "medium", "campaign", "term", "content"]) {
      if (params.get("utm_" + name)) found[name] = params.get("utm_" + name);
    }
    return Object.keys(found).length ? found : undefined;
  };
  const event = (type, props) => ({
    id: randomId(),
    type: String(type),
    at: new Date().toISOString(),
    url: location.href,
    title: d.title,
    referrer: d.referrer || null,
    utm: utm(),
    properties: props && typeof props === "object" && !Array.isArray(props) ? props : undefined,
  });

  const flush = () => {
    scheduled = false;
    if (!events.length && !identity) return;
    const body = JSON.stringify({ k: key, v: visitor, s: session, events: events, identify: identity, c: proof });
    events = [];
    identity = proof = undefined;
    if (blocked()) return;
    remember();
    const url = endpoint + "?k=" + encodeURIComponent(key) + "&v=" + visitor;
    // A string body is text/plain;charset=UTF-8: no CORS preflight.
    if (!(n.sendBeacon && n.sendBeacon(url, body))) {
      fetch(url, { method: "POST", body: body, keepalive: true, credentials: "omit", mode: "cors" }).catch(() => {});
    }
  };
  // What is queued in one tick goes in one request.
  const schedule = () => {
    if (!scheduled) Promise.resolve().then(safe(flush));
    scheduled = true;
  };
  const enqueue = (type, props) => {
    if (blocked()) return;
    startBatch();
    events.push(event(type, props));
    schedule();
  };
  const identify = (email, traits) => {
    if (blocked()) return;
    if (identity && identity.email !== email) flush();
    startBatch();
    identity = { email: email, traits: traits };
    schedule();
  };

  // In-page anchors (#...) are not page views.
  const page = () => {
    lastPage = location.href.split("#")[0];
    enqueue("page_view");
  };
  const pageIfChanged = safe(() => {
    if (location.href.split("#")[0] !== lastPage) page();
  });

  const onSubmit = safe((e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || attr(form, "data-leadscore-form") === null || blocked()) return;
    const inputs = Array.from(Element.prototype.querySelectorAll.call(form, "input"));
    const field = inputs.find((i) => i.type === "email") || inputs.find((i) => /email/i.test(i.name) && !SKIP_TYPES.test(i.type));
    const email = field ? field.value.trim() : "";
    if (!email) return;
    const traits = {};
    for (const i of inputs) {
      if (i !== field && i.name && i.value.trim() && !i.disabled && !SKIP_TYPES.test(i.type) && !SECRET_NAMES.test(i.name)) {
        traits[i.name] = i.value.trim().slice(0, 500);
      }
    }
    identify(email, traits);
    enqueue("form_submit", { form: attr(form, "data-leadscore-form") || attr(form, "name") || attr(form, "id") || null });
    // Now: the submission navigates away, and a beacon outlives the page.
    flush();
  });

  const api = {
    identify: safe((traits) => {
      const email = traits && typeof traits.email === "string" ? traits.email.trim() : "";
      if (!email) return console.warn("leadscore.identify needs an email");
      const rest = Object.assign({}, traits);
      delete rest.email;
      identify(email, rest);
    }),
    track: safe((type, props) => {
      if (type) enqueue(type, props);
    }),
    page: safe(page),
    optOut: safe(() => {
      if (privacy) return;
      writeCookie(OPTOUT, "1", YEARS2);
      writeCookie(VID, "", 0);
      writeCookie(SID, "", 0);
      visitor = session = identity = undefined;
      events = [];
    }),
    optIn: safe(() => {
      if (!privacy) writeCookie(OPTOUT, "", 0);
    }),
    // Calls queued before load (or made so later): push(["track", "x", {}]).
    push: safe(function () {
      for (const call of arguments) {
        const args = Array.from(call || []), f = api[args[0]];
        if (typeof f === "function" && args[0] !== "push") f.apply(api, args.slice(1));
      }
    }),
  };

  safe(() => {
    const script = d.currentScript || d.querySelector("script[data-site-key][src*='t.js']");
    key = attr(script, "data-site-key");
    endpoint = new URL(script.src).origin + "/t/collect";
    privacy = n.doNotTrack === "1" || w.doNotTrack === "1" || n.globalPrivacyControl === true;
    // A tracked email link's proof that this browser is the contact the email went to: sent once, and
    // taken out of the address bar first, so it is neither in the page view's URL nor shared with a copied link.
    const params = new URLSearchParams(location.search);
    if (params.has("ls_c")) {
      proof = params.get("ls_c").slice(0, 2048);
      params.delete("ls_c");
      const rest = params.toString();
      history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    }
    w.leadscore = api;
    api.page();
    if (Array.isArray(waiting)) api.push.apply(api, waiting);
    d.addEventListener("submit", onSubmit, true);
    const pushState = history.pushState;
    history.pushState = function () {
      const result = pushState.apply(this, arguments);
      // After the router's work in this task, so its new title is read.
      setTimeout(pageIfChanged, 0);
      return result;
    };
    w.addEventListener("popstate", () => setTimeout(pageIfChanged, 0));
    // A page restored from the back-forward cache does not run its scripts again.
    w.addEventListener("pageshow", (e) => e.persisted && api.page());
  })();
})();
