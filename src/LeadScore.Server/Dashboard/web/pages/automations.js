// Automations, what they did, and webhook deliveries: the log, and dead letters to replay.
import { api, query } from '../api.js';
import { h, replace, when, encode, select, field } from '../dom.js';

export async function renderAutomations(view, { app, params, signal }) {
  view.append(h('h1', 'Automations'));
  const { automations } = await api('/automations', { signal });
  const list = h('section.card', { 'aria-labelledby': 'automations-title' }, h('h2', { id: 'automations-title' }, 'Automations'));
  view.append(list);
  if (!automations.length) {
    list.append(h('p.muted', 'No automation yet. docs/automations.md shows how to create one (POST /api/v1/automations, or leadscore automation create).'));
  } else {
    list.append(h('div.table-wrap', h('table',
      h('caption.visually-hidden', 'Automations'),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Model'), h('th', { scope: 'col' }, 'Trigger'),
        h('th', { scope: 'col' }, 'Actions'), h('th', { scope: 'col' }, 'Enabled'), h('th', { scope: 'col' }, 'Runs'))),
      h('tbody', automations.map((a) => {
        const runs = h('td', h('button.link-button', { type: 'button', on: { click: () => showRuns(a, runs, signal) } }, 'Show recent runs'));
        return h('tr', { 'data-automation': a.id },
          h('th', { scope: 'row' }, a.name, h('div.muted', a.id)),
          h('td', a.model ?? '–'),
          h('td', triggerText(a.definition.trigger)),
          h('td', h('ul.plain', (a.definition.actions ?? []).map((x) => h('li', actionText(x))))),
          h('td', a.enabled ? 'yes' : 'no'),
          runs);
      })))));
  }

  const state = params.state ?? '';
  const deliveries = h('section.card', { 'aria-labelledby': 'deliveries-title' },
    h('h2', { id: 'deliveries-title' }, state === 'dead' ? 'Dead letters' : 'Webhook deliveries'),
    h('form.filters', { on: { submit: (e) => e.preventDefault() } },
      field('State', select([['', 'All'], ['pending', 'Pending'], ['delivered', 'Delivered'], ['dead', 'Dead letters']], state,
        { on: { change: (e) => app.go('#/automations' + query({ state: e.target.value })) } }))));
  view.append(deliveries);
  const page = await api('/deliveries' + query({ state, limit: 50 }), { signal });
  if (!page.items.length) {
    deliveries.append(h('p.muted', state === 'dead' ? 'No dead letters: every webhook was delivered or is still being retried.' : 'No webhook delivery yet.'));
    return;
  }
  deliveries.append(h('div.table-wrap', h('table.deliveries',
    h('caption.visually-hidden', 'Deliveries, newest first'),
    h('thead', h('tr', h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Lead'), h('th', { scope: 'col' }, 'Target'),
      h('th', { scope: 'col' }, 'State'), h('th.num', { scope: 'col' }, 'Attempts'), h('th', { scope: 'col' }, 'Last result'), h('th', { scope: 'col' }, 'Action'))),
    h('tbody', page.items.map((d) => {
      const action = h('td');
      if (d.state === 'dead' || d.state === 'failed') {
        const replay = h('button', { type: 'button', disabled: !app.canWrite() }, 'Replay');
        replay.addEventListener('click', async () => {
          replay.disabled = true;
          try {
            await api(`/deliveries/${encode(d.id)}/replay`, { method: 'POST' });
            replace(action, 'Queued again');
            app.status(`Delivery ${d.id} queued again.`);
          } catch (e) {
            replay.disabled = false;
            app.alert(e);
          }
        });
        action.append(replay);
      }
      return h('tr', { 'data-delivery': d.id },
        h('td', when(d.createdAt)),
        h('td', h('a', { href: `#/leads/${encode(d.contactId)}` }, d.contactId)),
        h('td.url', d.url),
        h('td', h(`span.badge.${d.state === 'delivered' ? 'good' : d.state === 'dead' ? 'bad' : 'warn'}`, d.state)),
        h('td.num', d.attempts),
        h('td', d.lastStatus ? `HTTP ${d.lastStatus}` : d.lastError ?? '–'),
        action);
    })))));
}

async function showRuns(automation, cell, signal) {
  replace(cell, 'Loading…');
  try {
    const runs = await api(`/automations/${encode(automation.id)}/runs?limit=10`, { signal });
    replace(cell, runs.items.length
      ? h('ul.plain', runs.items.map((r) => h('li', h('a', { href: `#/leads/${encode(r.contactId)}` }, r.contactId), ` · ${when(r.at)}`,
        r.scoreAfter !== null ? ` · ${r.scoreBefore ?? '–'} → ${r.scoreAfter}` : '')))
      : h('span.muted', 'Never ran.'));
  } catch (e) {
    replace(cell, h('span.form-error', e.message));
  }
}

function triggerText(trigger) {
  if (!trigger) return '–';
  const { type, ...rest } = trigger;
  const details = Object.entries(rest).map(([k, v]) => `${k} ${v}`).join(', ');
  return details ? `${type} (${details})` : type;
}

function actionText(action) {
  const { type, ...rest } = action;
  const details = Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
  return details ? `${type} — ${details}` : type;
}
