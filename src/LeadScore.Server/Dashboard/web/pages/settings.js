// API keys of the workspace: list, create (the text shown once), revoke. Admin keys only.
import { api } from '../api.js';
import { h, replace, when, encode, select, field } from '../dom.js';

export async function renderSettings(view, { app, signal }) {
  view.append(h('h1', 'Settings'));
  const section = h('section.card', { 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'API keys'));
  view.append(section);
  if (!app.isAdmin()) {
    section.append(h('p', `Your key has the ${app.me.scope} scope; managing keys needs an admin key.`));
    return;
  }
  const created = h('div', { role: 'status', 'aria-live': 'polite' });
  const scope = select([['read', 'read'], ['write', 'write'], ['admin', 'admin']], 'read', { name: 'scope' });
  const name = h('input', { type: 'text', name: 'name', maxLength: 100, autocomplete: 'off' });
  const error = h('p.form-error', { role: 'alert' });
  const tableHolder = h('div');
  const load = async () => {
    const { keys } = await api('/keys', { signal });
    replace(tableHolder, h('div.table-wrap', h('table.keys',
      h('caption.visually-hidden', 'API keys'),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Id'), h('th', { scope: 'col' }, 'Scope'),
        h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', keys.map((k) => {
        const revoke = h('button.danger', { type: 'button' }, 'Revoke');
        revoke.addEventListener('click', async () => {
          const mine = k.id === app.me.keyId;
          const question = mine
            ? `Revoke ${k.name || k.id}? It is the key you are signed in with: you will be signed out.`
            : `Revoke ${k.name || k.id}? Everything using it is refused from now on.`;
          if (!confirm(question)) return;
          try {
            await api(`/keys/${encode(k.id)}`, { method: 'DELETE' });
            app.status(`Key ${k.name || k.id} revoked.`);
            if (mine) {
              app.signedOut('You revoked the key you were signed in with; sign in with another key.');
              return;
            }
            await load();
          } catch (e) {
            app.alert(e);
          }
        });
        return h('tr', { 'data-key': k.id },
          h('th', { scope: 'row' }, k.name || h('span.muted', 'unnamed'), k.id === app.me.keyId ? h('span.chip', 'this session') : null),
          h('td', h('code', k.id)), h('td', k.scope), h('td', when(k.createdAt)),
          h('td', k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'),
          h('td', k.revokedAt ? '' : revoke));
      })))));
  };
  section.append(
    h('form.filters.create-key', {
      'aria-label': 'Create a key',
      on: {
        submit: async (e) => {
          e.preventDefault();
          error.textContent = '';
          try {
            const answer = await api('/keys', { method: 'POST', body: { scope: scope.value, name: name.value || undefined } });
            replace(created, h('div.secret-box',
              h('p', h('strong', `Key ${answer.key.name || answer.key.id} created (${answer.key.scope}). `), 'Copy it now: it is never shown again.'),
              h('input', { type: 'text', readOnly: true, value: answer.secret, 'aria-label': 'The new key', class: 'secret', on: { focus: (ev) => ev.target.select() } })));
            name.value = '';
            await load();
          } catch (ex) {
            error.textContent = ex.message;
          }
        },
      },
    }, field('Name', name), field('Scope', scope), h('button.primary', { type: 'submit' }, 'Create key')),
    error, created, tableHolder);
  await load();
}
