import { h, when, encode } from '../dom.js';
import { loadModels } from './models-data.js';

export async function renderModels(view, { signal }) {
  const models = await loadModels();
  view.append(h('h1', 'Models'),
    h('p.muted', 'A model is drafted, validated, then published; publishing re-scores every lead. Every save is a new version; nothing is overwritten.'));
  if (!models.length) {
    view.append(h('p', 'No model yet. Save one with ', h('code', 'POST /api/v1/models'), ' or ', h('code', 'leadscore model publish FILE'), '.'));
    return;
  }
  view.append(h('div.table-wrap', h('table.models',
    h('caption.visually-hidden', 'Models and their versions'),
    h('thead', h('tr', h('th', { scope: 'col' }, 'Model'), h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col' }, 'Status'),
      h('th.num', { scope: 'col' }, 'Published'), h('th.num', { scope: 'col' }, 'Latest'), h('th', { scope: 'col' }, 'Versions'))),
    h('tbody', models.map((m) => h('tr', { 'data-model': m.key },
      h('th', { scope: 'row' }, h('a', { href: `#/models/${encode(m.key)}` }, m.key)),
      h('td', m.target),
      h('td', m.archived ? h('span.badge', 'archived') : m.published ? h('span.badge.good', 'published') : h('span.badge.warn', 'draft only')),
      h('td.num', m.published ? `v${m.published}` : '–'),
      h('td.num', `v${m.latest}`),
      h('td', h('ul.versions', m.versions.slice(-5).reverse().map((v) =>
        h('li', `v${v.version} ${v.status}`, h('span.muted', ` · ${when(v.publishedAt ?? v.createdAt)}`)))))))))));
}
