// The dashboard's shell: the session, the hash router (#/leads, #/leads/ID, #/models/KEY, ...) and
// what every page shares: the status line, the error alert, focus moved to the new page's heading.
import { session, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { renderSignIn } from './pages/signin.js';
import { renderLeads } from './pages/leads.js';
import { renderLead } from './pages/lead.js';
import { renderModels } from './pages/models.js';
import { renderModelEditor } from './pages/editor.js';
import { renderAutomations } from './pages/automations.js';
import { renderSettings } from './pages/settings.js';
import { renderSources } from './pages/sources.js';
import { renderReview } from './pages/review.js';
import { renderPredictive } from './pages/predictive.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const statusEl = document.getElementById('status');
const alertEl = document.getElementById('alert');

const app = {
  me: null,
  /** Aborted when the page changes, so a slow answer for the previous page is dropped. */
  controller: new AbortController(),
  status(text) {
    statusEl.textContent = text ?? '';
  },
  alert(error) {
    if (!error) {
      alertEl.hidden = true;
      alertEl.textContent = '';
      return;
    }
    alertEl.hidden = false;
    replace(alertEl, h('span', error.message ?? String(error)), ' ',
      h('button.link-button', { type: 'button', on: { click: () => app.alert(null) } }, 'Dismiss'));
  },
  /** Shows another page; keepFocus leaves focus where it is (a filter being typed into re-renders the list). */
  go(hash, { keepFocus = false } = {}) {
    keepFocusNext = keepFocus;
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  canWrite: () => app.me && app.me.scope !== 'read',
  isAdmin: () => app.me && app.me.scope === 'admin',
  async signedIn(me) {
    app.me = me;
    nav.hidden = false;
    who.hidden = false;
    document.getElementById('who-name').textContent = `${me.name || me.keyId} · ${me.scope} · ${me.workspace}`;
  },
  signedOut(message) {
    app.me = null;
    nav.hidden = true;
    who.hidden = true;
    if (!location.hash.startsWith('#/signin')) {
      sessionStorage.setItem('leadscore.after', location.hash || '#/leads');
    }
    if (message) app.signInMessage = message;
    if (location.hash !== '#/signin') location.hash = '#/signin';
    else route();
  },
};

const routes = [
  [/^#\/signin$/, () => renderSignIn],
  [/^#\/leads$/, () => renderLeads],
  [/^#\/leads\/([^/?]+)$/, () => renderLead],
  [/^#\/models$/, () => renderModels],
  [/^#\/models\/([^/?]+)$/, () => renderModelEditor],
  [/^#\/automations$/, () => renderAutomations],
  [/^#\/sources$/, () => renderSources],
  [/^#\/settings$/, () => renderSettings],
  [/^#\/review$/, () => renderReview],
  [/^#\/predictive$/, () => renderPredictive],
  [/^#\/predictive\/(\d+)$/, () => renderPredictive],
];

async function route() {
  const hash = location.hash || '#/leads';
  const [path, search = ''] = hash.split('?');
  app.controller.abort();
  app.controller = new AbortController();
  app.alert(null);
  app.status('');
  if (!app.me && path !== '#/signin') {
    app.signedOut();
    return;
  }
  const match = routes.map(([pattern, page]) => [path.match(pattern), page]).find(([m]) => m);
  for (const link of nav.querySelectorAll('a')) {
    const current = path.startsWith('#/' + link.dataset.page);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = h('div.page');
  replace(main, view);
  if (!match) {
    replace(view, h('h1', 'Not found'), h('p', 'There is no such page. ', h('a', { href: '#/leads' }, 'Go to the leads.')));
    return;
  }
  const [m, page] = match;
  const params = Object.fromEntries(new URLSearchParams(search));
  try {
    await page()(view, { app, params, id: m[1] ? decodeURIComponent(m[1]) : undefined, signal: app.controller.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 401) return;
    app.status('');
    view.append(h('div.error-box', { role: 'alert' }, e.message));
  }
  const heading = view.querySelector('h1');
  document.title = heading ? `${heading.textContent} · LeadScore` : 'LeadScore';
  if (focusNext && !keepFocusNext) {
    (heading ?? main).setAttribute('tabindex', '-1');
    (heading ?? main).focus({ preventScroll: false });
  }
  focusNext = true;
  keepFocusNext = false;
}

let focusNext = false;
let keepFocusNext = false;

window.addEventListener('hashchange', route);
// A 401 means the session's key was revoked (or the cookie is gone): drop the dead cookie and ask for a key.
window.addEventListener('leadscore:unauthorized', (e) => {
  if (!app.me) return;
  session.signOut().catch(() => {});
  app.signedOut(e.detail.message);
});

// The skip link moves focus without touching the address, which holds the page's route.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await session.signOut();
  } finally {
    sessionStorage.removeItem('leadscore.after');
    app.signedOut('You are signed out.');
  }
});

app.afterSignIn = () => {
  const next = sessionStorage.getItem('leadscore.after');
  sessionStorage.removeItem('leadscore.after');
  app.go(next && !next.startsWith('#/signin') ? next : '#/leads');
};

(async () => {
  try {
    await app.signedIn(await session.current());
    if (location.hash === '#/signin') location.hash = '#/leads';
    else route();
  } catch {
    app.signedOut();
  }
})();
