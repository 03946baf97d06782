// The ranked list: one keyset page at a time from GET /api/v1/leads (fast at any size), then each
// visible row filled in with its contact (name, email, owner) and last activity.
import { api, query } from '../api.js';
import { h, replace, field, select, num, money, ago, encode } from '../dom.js';
import { loadModels, loadDefinition } from './models-data.js';

// Priority answers "whom to call first": qualified leads first, then by points, then by probability.
const SORTS = [['priority', 'Priority (qualified, points, probability)'], ['-score', 'Score, highest first'], ['score', 'Score, lowest first'], ['-scoredAt', 'Recently scored'], ['id', 'Id']];
const PREDICTION_SORTS = [['-probability', 'Probability, highest first'], ['-expectedValue', 'Expected value, highest first']];
const TIERS = [['', 'Any tier'], ['very high', 'Very high'], ['high', 'High'], ['medium', 'Medium'], ['low', 'Low']];
// Open leads by default: customers, closed deals and disqualified leads are not whom to call next.
const STATUSES = {
  contact: [['open', 'Open leads'], ['converted', 'Converted (customers)'], ['disqualified', 'Disqualified'], ['all', 'All']],
  deal: [['open', 'Open deals'], ['won', 'Won'], ['lost', 'Lost'], ['disqualified', 'Disqualified'], ['all', 'All']],
  company: [['open', 'Open'], ['disqualified', 'Disqualified'], ['all', 'All']],
};
const STATUS_BADGES = { converted: 'customer', won: 'won', lost: 'lost', disqualified: 'disqualified' };
const NO_PREDICTION = {
  'converted-already': 'converted already: predictions are for open leads',
  'no-model-yet': 'no predictive model is trained yet',
  'created-after-training': 'created after the last training; the next one predicts it',
  'not-predicted': 'left out of the last training',
};
const PLURAL = { contact: 'contacts', deal: 'deals', company: 'companies' };

// Pages already visited for the current filters: "Previous" goes back through their cursors.
let pager = { filters: '', cursors: [null], index: 0, predictions: false };
// The filter control a change came from: the re-rendered list gives it focus back.
let refocus = null;

export async function renderLeads(view, { app, params, signal }) {
  view.append(h('h1', 'Leads'));
  const models = await loadModels({ fresh: !refocus });
  const published = models.filter((m) => m.published && !m.archived);
  if (!published.length) {
    view.append(h('p', 'No model is published yet, so nothing is ranked. ', h('a', { href: '#/models' }, 'Publish a model'), ' first.'));
    return;
  }
  const modelKey = params.model && published.some((m) => m.key === params.model) ? params.model : published[0].key;
  const modelInfo = published.find((m) => m.key === modelKey);
  const definition = await loadDefinition(modelKey, modelInfo.published, signal);
  const filters = { model: modelKey, grade: params.grade, segment: params.segment, threshold: params.threshold, q: params.q, tier: params.tier, status: params.status || 'open', sort: params.sort || 'priority', limit: params.limit || '25' };
  const filterKey = JSON.stringify(filters);
  if (pager.filters !== filterKey) pager = { filters: filterKey, cursors: [null], index: 0, predictions: pager.predictions };

  const apply = (changes) => {
    const next = { ...filters, ...changes };
    if (next.model !== filters.model) Object.assign(next, { grade: '', threshold: '', segment: '', tier: '', status: '' });
    refocus = document.activeElement?.name ?? null;
    app.go('#/leads' + query({ ...next, status: next.status === 'open' ? '' : next.status, sort: next.sort === 'priority' ? '' : next.sort, limit: next.limit === '25' ? '' : next.limit }), { keepFocus: !!refocus });
  };

  const grades = (definition.grades ?? []).map((g) => [g.grade, g.grade]);
  const thresholds = (definition.thresholds ?? []).map((t) => [t.key, `${t.key.toUpperCase()} (${t.points}+)`]);
  const segments = [...new Set((definition.segment ?? []).map((sg) => sg.digit))].sort().map((d) => [d, `${d} · ${segmentName(d)}`]);
  const search = h('input', { type: 'search', name: 'q', value: filters.q ?? '', placeholder: 'id, email or name', autocomplete: 'off' });
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => apply({ q: search.value.trim() }), 350);
  });
  const onChange = (name) => ({ change: (e) => apply({ [name]: e.target.value }) });
  // Shown once the API's leads carry predictions (or a tier is already chosen).
  const tierField = field('Priority tier', select(TIERS, filters.tier, { name: 'tier', on: onChange('tier') }));
  tierField.hidden = !(pager.predictions || filters.tier);
  const withPredictionSorts = pager.predictions || PREDICTION_SORTS.some(([v]) => v === filters.sort);
  const sortSelect = select(withPredictionSorts ? [...SORTS, ...PREDICTION_SORTS] : SORTS, filters.sort, { name: 'sort', on: onChange('sort') });
  const form = h('form.filters', { role: 'search', 'aria-label': 'Filter leads', on: { submit: (e) => { e.preventDefault(); clearTimeout(typing); apply({ q: search.value.trim() }); } } },
    field('Model', select(published.map((m) => [m.key, `${m.key} v${m.published}`]), modelKey, { name: 'model', on: onChange('model') })),
    field('Status', select(STATUSES[modelInfo.target] ?? STATUSES.company, filters.status, { name: 'status', on: onChange('status') })),
    field('Grade', select([['', 'Any grade'], ...grades], filters.grade, { name: 'grade', on: onChange('grade') })),
    segments.length ? field('Segment', select([['', 'Any segment'], ...segments], filters.segment, { name: 'segment', on: onChange('segment') })) : null,
    field('Threshold reached', select([['', 'Any'], ...thresholds], filters.threshold, { name: 'threshold', on: onChange('threshold') })),
    tierField,
    field('Search', search),
    field('Sort', sortSelect),
    field('Per page', select([['25', '25'], ['50', '50'], ['100', '100']], filters.limit, { name: 'limit', on: onChange('limit') })),
    h('button.visually-hidden', { type: 'submit' }, 'Apply filters'));
  view.append(form);
  if (refocus && form.elements[refocus]) {
    const control = form.elements[refocus];
    control.focus();
    if (control.type === 'search') control.setSelectionRange(control.value.length, control.value.length);
  }
  refocus = null;

  const results = h('section.results', { 'aria-labelledby': 'results-title' });
  view.append(results);
  const cursor = pager.cursors[pager.index];
  app.status('Loading leads…');
  const page = await api('/leads' + query({ ...filters, cursor }), { signal });
  const hasPredictions = page.items.some((item) => item.prediction);
  if (hasPredictions) {
    pager.predictions = true;
    tierField.hidden = false;
    if (!withPredictionSorts) sortSelect.append(...PREDICTION_SORTS.map(([v, text]) => h('option', { value: v }, text)));
  }
  const requirements = (definition.requirements ?? []).length;
  const first = pager.index * Number(filters.limit) + 1;
  const caption = page.items.length
    ? `Leads ${num(first)}–${num(first + page.items.length - 1)} under ${modelKey} v${modelInfo.published}`
    : filters.status === 'open' ? 'No open lead matches these filters.' : 'No lead matches these filters.';
  app.status(caption + '.');

  const rows = page.items.map((item) => leadRow(item, requirements, hasPredictions, modelKey));
  const table = h('table.leads',
    h('caption', { id: 'results-title' }, caption),
    h('thead',
      hasPredictions ? h('tr.group', h('th', { colspan: 6 }), h('th.prediction', { colspan: 3, scope: 'colgroup' }, 'Prediction'), h('th', { colspan: 2 })) : null,
      h('tr',
        h('th', { scope: 'col' }, 'Lead'), h('th.num', { scope: 'col' }, 'Score'), h('th', { scope: 'col' }, 'Grade'),
        h('th.num', { scope: 'col' }, 'Segment'), h('th', { scope: 'col' }, 'Requirements'), h('th', { scope: 'col' }, 'Thresholds'),
        hasPredictions ? [h('th.num.prediction', { scope: 'col' }, 'Probability'), h('th.prediction', { scope: 'col' }, 'Priority'), h('th.num.prediction', { scope: 'col' }, 'Expected value')] : null,
        h('th', { scope: 'col' }, 'Owner'), h('th', { scope: 'col' }, 'Last activity'))),
    h('tbody', rows.map((r) => r.tr)));
  const previous = h('button', { type: 'button', disabled: pager.index === 0, on: { click: () => { pager.index--; app.go(location.hash); } } }, '← Previous');
  const next = h('button', { type: 'button', disabled: !page.nextCursor, on: { click: () => { pager.cursors[pager.index + 1] = page.nextCursor; pager.index++; app.go(location.hash); } } }, 'Next →');
  replace(results, h('div.table-wrap', table), h('nav.pager', { 'aria-label': 'Pages' }, previous, h('span', `Page ${pager.index + 1}`), next));
  enrich(rows, signal);
}

function leadRow(item, requirements, hasPredictions, modelKey) {
  const ex = item.explanation ?? {};
  const name = h('span.lead-name', item.recordId);
  const email = h('span.lead-email');
  const owner = h('td', '…');
  const last = h('td', '…');
  const met = ex.requirementsMet ?? 0;
  const prediction = item.prediction;
  const tr = h('tr', { 'data-lead': item.recordId },
    h('th', { scope: 'row' }, h('a', { href: `#/leads/${encode(item.recordId)}` + query({ model: modelKey, kind: item.kind === 'contact' ? '' : item.kind }) }, name),
      STATUS_BADGES[item.status] ? h(`span.badge.status.status-${item.status}`, STATUS_BADGES[item.status]) : null, email),
    h('td.num', h('strong', num(item.score)), h('span.sub', ` ${item.points} pts`)),
    h('td', item.grade ? h(`span.grade.grade-${item.grade}`, item.grade) : '–'),
    h('td.num', ex.segment ?? '–'),
    h('td', item.disqualifiedBy ? h('span.badge.bad', `excluded: ${item.disqualifiedBy}`)
      : requirements ? h(`span.badge.${met === requirements ? 'good' : 'warn'}`, `${met}/${requirements}`) : '–'),
    h('td', item.thresholds.length ? item.thresholds.map((t) => h('span.chip', t.toUpperCase())) : h('span.muted', 'none')),
    hasPredictions ? [
      h('td.num.prediction', prediction ? `${prediction.probability}%` : h('span.muted', { title: NO_PREDICTION[item.noPrediction] ?? '' }, '–')),
      h('td.prediction', prediction ? h(`span.tier.tier-${prediction.tier.replace(' ', '-')}`, prediction.tierMeaning ? { title: prediction.tierMeaning } : {}, prediction.tier) : '–'),
      h('td.num.prediction', prediction ? money(prediction.expectedValue) : '–')] : null,
    owner, last);
  return { item, tr, name, email, owner, last };
}

/** Shows who a contact lead is and its latest activity, as the leads list gives them. */
function fillContact(row, contact) {
  if (contact.name) row.name.textContent = contact.name;
  row.email.textContent = contact.email ?? '';
  replace(row.owner, contact.owner ?? h('span.muted', 'unassigned'));
  replace(row.last, contact.lastActivityAt
    ? h('span', { title: contact.lastActivityAt }, `${contact.lastActivity.replaceAll('_', ' ')}, ${ago(contact.lastActivityAt)}`)
    : h('span.muted', 'none'));
}

/**
 * Contact leads come with their summary; deals and companies are filled in a few requests at a time
 * (their names live on the record); stops when the page changes.
 */
async function enrich(rows, signal) {
  for (const row of rows.filter((r) => r.item.contact)) fillContact(row, row.item.contact);
  const queue = rows.filter((r) => !r.item.contact);
  const worker = async () => {
    while (queue.length && !signal.aborted) {
      const row = queue.shift();
      const plural = PLURAL[row.item.kind] ?? 'contacts';
      try {
        const [record, events] = await Promise.all([
          api(`/${plural}/${encode(row.item.recordId)}`, { signal }),
          row.item.kind === 'contact' ? api(`/contacts/${encode(row.item.recordId)}/events`, { signal }) : null]);
        const f = record.fields ?? {};
        const fullName = [f.firstName, f.lastName].filter(Boolean).join(' ') || f.name;
        if (fullName) row.name.textContent = fullName;
        row.email.textContent = f.email ?? '';
        replace(row.owner, f.owner ?? h('span.muted', 'unassigned'));
        const lastEvent = events?.events?.[events.events.length - 1];
        replace(row.last, lastEvent ? h('span', { title: lastEvent.occurredAt }, `${lastEvent.type.replaceAll('_', ' ')}, ${ago(lastEvent.occurredAt)}`) : h('span.muted', 'none'));
      } catch (e) {
        if (e.name === 'AbortError') return;
        replace(row.owner, '–');
        replace(row.last, '–');
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

export function segmentName(digit) {
  return { 1: 'small', 2: 'mid-size', 3: 'large' }[digit] ?? `segment ${digit}`;
}
