// Sources: the event names Segment and RudderStack sent and the type each becomes, the workspace's
// event mapping (edited by admins, saved whole as a new version) and its history, and the sources
// themselves (write keys and webhook URLs, admin only).
import { api } from '../api.js';
import { h, replace, when, num, encode, field, uid } from '../dom.js';

const WHY = {
  'built-in': ['built-in', 'a Segment Spec name for a LeadScore type'],
  default: ['default', 'the name in snake_case'],
  workspace: ['workspace', "this workspace's mapping"],
  ignored: ['ignored', 'acknowledged, not stored'],
};

export async function renderSources(view, { app, signal }) {
  view.append(h('h1', 'Sources'));
  const mapping = h('section.card', { id: 'names-section', 'aria-labelledby': 'names-title' }, h('h2', { id: 'names-title' }, 'Event names'));
  const history = h('section.card', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'Mapping versions'));
  const sources = h('section.card', { 'aria-labelledby': 'sources-title' }, h('h2', { id: 'sources-title' }, 'Sources'));
  view.append(mapping, history, sources);
  await Promise.all([renderMapping(mapping, history, { app, signal }), renderSourceList(sources, { app, signal })]);
}

async function renderMapping(section, history, { app, signal }) {
  section.append(h('p.muted', 'What Segment and RudderStack sent, and the event type each name becomes. Scoring rules match types ',
    h('code', '{"event": {"type": "demo_requested"}}'), ', so a name counts once its type is in a rule; an ignored name is acknowledged and not stored. ',
    'Names match ignoring case and spacing. A change applies to what arrives next: stored events keep their type.'));
  const versionLine = h('p.mapping-version', { id: 'mapping-version' });
  const tableHolder = h('div');
  const saveStatus = h('p.save-status', { id: 'mapping-status', role: 'status', 'aria-live': 'polite' });
  const problems = h('ul.messages', { id: 'mapping-problems', 'aria-live': 'polite' });
  const save = h('button.primary', { type: 'button' }, 'Save mapping');
  const admin = app.isAdmin();
  section.append(versionLine, tableHolder);
  if (admin) section.append(h('div.save-bar', save, saveStatus), problems);
  else section.append(h('p.notice', `Your key has the ${app.me.scope} scope: you can read the mapping; saving it needs an admin key.`));

  let current = null;
  let rows = [];

  const load = async () => {
    const [names, saved, versions] = await Promise.all([
      api('/sources/event-names', { signal }), api('/sources/event-mapping', { signal }), api('/sources/event-mapping/versions', { signal })]);
    current = saved;
    replace(versionLine, saved.version
      ? `Mapping version ${saved.version}, saved ${when(saved.savedAt)} by ${saved.savedBy ?? 'unknown key'}: ${entryCount(saved.events)}.`
      : 'No mapping saved yet: every name becomes its built-in type or its name in snake_case.');
    rows = names.names.map((n) => mappingRow(n, saved, admin));
    const seen = new Set(names.names.map((n) => key(n.name)));
    const unseen = Object.keys(saved.events).filter((name) => !seen.has(key(name)));
    if (!rows.length) {
      replace(tableHolder, emptyState());
    } else {
      replace(tableHolder, h('div.table-wrap', h('table.event-names',
        h('caption.visually-hidden', 'Event names sent by sources, most frequent first'),
        h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th.num', { scope: 'col' }, 'Events'), h('th', { scope: 'col' }, 'Last seen'),
          h('th', { scope: 'col' }, 'Becomes type'), h('th', { scope: 'col' }, 'Why'), admin ? h('th', { scope: 'col' }, 'Ignore') : null)),
        h('tbody', rows.map((r) => r.tr)))),
      unseen.length ? h('p.muted', `The mapping also has ${entryCount(Object.fromEntries(unseen.map((n) => [n, saved.events[n]])))} for names not received yet (${unseen.join(', ')}); saving keeps them.`) : null);
    }
    renderVersions(history, versions.versions);
  };

  save.addEventListener('click', async () => {
    replace(problems);
    saveStatus.textContent = '';
    const invalid = rows.filter((r) => r.problem());
    if (invalid.length) {
      problems.append(h('li.error', `Not saved: fix the type of ${invalid.map((r) => r.name).join(', ')} first.`));
      invalid[0].focus();
      return;
    }
    const changed = rows.filter((r) => r.changed());
    if (!changed.length) {
      saveStatus.textContent = 'Nothing to save: change a type or tick Ignore first.';
      return;
    }
    const events = { ...current.events };
    for (const row of changed) {
      for (const name of Object.keys(events)) if (key(name) === key(row.name)) delete events[name];
      const wanted = row.wanted();
      // A name set back to what it would become anyway needs no entry of its own.
      if (wanted === null || wanted !== fallback(row.name, current.builtIn)) events[row.name] = wanted;
    }
    save.disabled = true;
    try {
      const answer = await api('/sources/event-mapping', { method: 'PUT', body: { events } });
      await load();
      saveStatus.textContent = `Saved: mapping version ${answer.version}.`;
      app.status(`Event mapping version ${answer.version} saved.`);
    } catch (e) {
      if (e.name === 'AbortError') return;
      const list = Array.isArray(e.problem?.problems) && e.problem.problems.length ? e.problem.problems : [e.message];
      problems.append(list.map((p) => h('li.error', p)));
    } finally {
      save.disabled = false;
    }
  });

  await load();
}

function mappingRow(n, saved, admin) {
  const [whyText, whyTitle] = WHY[n.mappedBy] ?? [n.mappedBy, ''];
  const why = h(`span.badge.why-${n.mappedBy}`, { title: whyTitle }, whyText);
  const cells = [h('th', { scope: 'row' }, n.name), h('td.num', num(n.count)), h('td', when(n.lastSeenAt))];
  if (!admin) {
    const tr = h('tr', { 'data-name': n.name }, cells,
      h('td.type', n.type ? h('code', n.type) : h('span.muted', 'not stored')), h('td.why', why));
    return { name: n.name, tr, problem: () => null, changed: () => false };
  }

  const ignoredBefore = n.mappedBy === 'ignored';
  const typeBefore = n.type ?? fallback(n.name, saved.builtIn);
  const messageId = uid('type-message');
  const type = h('input.type-input', {
    type: 'text', value: typeBefore, autocomplete: 'off', spellcheck: 'false', maxLength: 100, disabled: ignoredBefore,
    'aria-label': `Type of ${n.name}`, 'aria-describedby': messageId,
  });
  const message = h('span.type-message', { id: messageId, 'aria-live': 'polite' });
  const ignore = h('input', { type: 'checkbox', id: uid('ignore'), checked: ignoredBefore });
  const tr = h('tr', { 'data-name': n.name }, cells,
    h('td.type', h('div.type-control', type, message)),
    h('td.why', why),
    h('td.ignore', h('label.check', { for: ignore.id }, ignore, ' Ignore', h('span.visually-hidden', ` ${n.name}`))));

  const wanted = () => (ignore.checked ? null : type.value.trim());
  const problem = () => {
    const value = wanted();
    if (value === null) return null;
    if (!value) return 'Give a type, or tick Ignore.';
    if (!isType(value)) return `Use lowercase letters, digits and '_', such as ${snakeCase(value) || fallback(n.name, saved.builtIn)}.`;
    return null;
  };
  const check = () => {
    const text = problem();
    message.textContent = text ?? '';
    type.setAttribute('aria-invalid', text ? 'true' : 'false');
    tr.classList.toggle('has-error', Boolean(text));
    tr.classList.toggle('edited', changed());
  };
  const changed = () => ignore.checked !== ignoredBefore || (!ignore.checked && type.value.trim() !== typeBefore);
  type.addEventListener('input', check);
  ignore.addEventListener('change', () => {
    type.disabled = ignore.checked;
    check();
  });
  return { name: n.name, tr, problem, changed, wanted, focus: () => type.focus() };
}

function renderVersions(section, versions) {
  const title = section.querySelector('h2');
  if (!versions.length) {
    replace(section, title, h('p.muted', 'No version saved yet.'));
    return;
  }
  replace(section, title, h('div.table-wrap', h('table.mapping-versions',
    h('caption.visually-hidden', 'Versions of the event mapping, newest first'),
    h('thead', h('tr', h('th.num', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Saved at'), h('th', { scope: 'col' }, 'Saved by'),
      h('th', { scope: 'col' }, 'Entries'))),
    h('tbody', versions.map((v) => h('tr', { 'data-version': v.version },
      h('th.num', { scope: 'row' }, `v${v.version}`), h('td', when(v.savedAt)), h('td', v.savedBy ? h('code', v.savedBy) : '–'),
      h('td', Object.keys(v.events).length
        ? h('ul.plain', Object.entries(v.events).map(([name, type]) => h('li', name, ' → ', type === null ? h('em', 'ignored') : h('code', type))))
        : h('span.muted', 'none (built-in names and snake_case only)'))))))));
}

async function renderSourceList(section, { app, signal }) {
  if (!app.isAdmin()) {
    section.append(h('p', `Your key has the ${app.me.scope} scope; managing sources needs an admin key.`));
    return;
  }
  section.append(h('p.muted', 'Each source has a write key for the Segment and RudderStack SDKs and HTTP API (',
    h('code', 'POST /v1/batch'), ', the key as the Basic user name), and webhook URLs for their Webhook destinations.'));
  const created = h('div', { role: 'status', 'aria-live': 'polite' });
  const name = h('input', { type: 'text', name: 'name', maxLength: 100, autocomplete: 'off', required: true });
  const error = h('p.form-error', { role: 'alert' });
  const tableHolder = h('div');
  const load = async () => {
    const { sources } = await api('/sources', { signal });
    if (!sources.length) {
      replace(tableHolder, h('p.muted', 'No source yet: create one to get its write key and webhook URLs.'));
      return;
    }
    replace(tableHolder, h('div.table-wrap', h('table.sources',
      h('caption.visually-hidden', 'Sources'),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Id'), h('th', { scope: 'col' }, 'Segment webhook URL'),
        h('th', { scope: 'col' }, 'RudderStack webhook URL'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', sources.map((s) => {
        const revoke = h('button.danger', { type: 'button', 'aria-label': `Revoke ${s.name}` }, 'Revoke');
        revoke.addEventListener('click', async () => {
          if (!confirm(`Revoke ${s.name}? Its write key and webhooks are refused from now on.`)) return;
          try {
            await api(`/sources/${encode(s.id)}`, { method: 'DELETE' });
            app.status(`Source ${s.name} revoked.`);
            await load();
          } catch (e) {
            app.alert(e);
          }
        });
        return h('tr', { 'data-source': s.id },
          h('th', { scope: 'row' }, s.name),
          h('td', h('code', s.id)),
          h('td.url.segment-url', s.segmentWebhookUrl,
            h('details.secret-details', h('summary', 'Shared secret'), h('code', s.sharedSecret))),
          h('td.url.rudderstack-url', s.rudderStackWebhookUrl),
          h('td', when(s.createdAt)),
          h('td', s.revokedAt ? `revoked ${when(s.revokedAt)}` : revoke));
      })))));
  };
  section.append(
    h('form.filters.create-source', {
      'aria-label': 'Create a source',
      on: {
        submit: async (e) => {
          e.preventDefault();
          error.textContent = '';
          try {
            const answer = await api('/sources', { method: 'POST', body: { name: name.value.trim() } });
            replace(created, h('div.secret-box',
              h('p', h('strong', `Source ${answer.source.name} created. `), 'Copy its write key now: it is never shown again.'),
              h('input', { id: 'new-write-key', type: 'text', readOnly: true, value: answer.writeKey, 'aria-label': 'The new write key', class: 'secret', on: { focus: (ev) => ev.target.select() } })));
            name.value = '';
            await load();
          } catch (ex) {
            error.textContent = ex.message;
          }
        },
      },
    }, field('Source name', name), h('button.primary', { type: 'submit' }, 'Create source')),
    error, created, tableHolder);
  await load();
}

function emptyState() {
  return h('div.empty-state',
    h('p', h('strong', 'No event received from a source yet.')),
    h('p', 'To connect Segment or RudderStack: create a source below (admin key), then either point the SDK or HTTP API at this server with the ',
      'source\'s write key, or add a Webhook destination with its webhook URL. The steps are in docs/integrations/segment.md.'));
}

function entryCount(events) {
  const count = Object.keys(events).length;
  return count === 1 ? '1 entry' : `${count} entries`;
}

function isType(text) {
  return text.length <= 100 && snakeCase(text) === text;
}

/** What a name becomes without a workspace entry: its built-in type, or its snake_case form. */
function fallback(name, builtIn) {
  const k = key(name);
  const match = Object.entries(builtIn ?? {}).find(([n]) => key(n) === k);
  return match ? match[1] : snakeCase(name);
}

const key = (name) => snakeCase(name);

// The server's EventMapping.SnakeCase: words split at anything not a letter or digit and at camelCase
// humps, lowercased, joined by '_'. The same function decides which names are the same and which types are valid.
function snakeCase(name) {
  const chars = [...name];
  const letterOrDigit = /[\p{L}\p{Nd}]/u;
  const upper = /\p{Lu}/u;
  const lower = /\p{Ll}/u;
  const digit = /\p{Nd}/u;
  let text = '';
  let pending = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (!letterOrDigit.test(c)) {
      pending = text.length > 0;
      continue;
    }
    const hump = upper.test(c) && i > 0 && (lower.test(chars[i - 1]) || digit.test(chars[i - 1])
      || (upper.test(chars[i - 1]) && i + 1 < chars.length && lower.test(chars[i + 1])));
    if ((pending || hump) && text.length > 0) text += '_';
    pending = false;
    text += c.toLowerCase();
  }
  return text.length > 100 ? text.slice(0, 100).replace(/_+$/, '') : text;
}
