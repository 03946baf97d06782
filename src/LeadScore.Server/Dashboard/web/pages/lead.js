// One lead: who it is, its score under a model and why (points per category and rule against the
// budgets), whether it qualifies, how the score moved and why, what it did, what fired for it.
import { api, query } from '../api.js';
import { h, num, pts, money, when, ago, encode, select, field } from '../dom.js';
import { meter, historyChart, causeText } from '../charts.js';
import { loadDefinition } from './models-data.js';
import { segmentName } from './leads.js';

const PLURAL = { contact: 'contacts', deal: 'deals', company: 'companies' };

export async function renderLead(view, { app, id, params, signal }) {
  // Contacts have a timeline and automation runs; deals and companies (models that target them) only scores.
  const kind = PLURAL[params.kind] ? params.kind : 'contact';
  const base = `/${PLURAL[kind]}/${encode(id)}`;
  const isContact = kind === 'contact';
  const [record, scores, events, runs] = await Promise.all([
    api(base, { signal }),
    api(`${base}/scores`, { signal }),
    isContact ? api(`${base}/events`, { signal }) : { events: [] },
    isContact ? api(`${base}/automation-runs`, { signal }).catch(() => ({ items: [] })) : { items: [] },
  ]);
  const f = record.fields ?? {};
  const name = [f.firstName, f.lastName].filter(Boolean).join(' ') || f.name || id;
  view.append(
    h('p.breadcrumb', h('a', { href: '#/leads' + query({ model: params.model }) }, '← Leads')),
    h('h1', name),
    h('p.lead-facts', [f.jobTitle, f.company, f.email, f.country, f.owner ? `owner ${f.owner}` : null, f.lifecycleStage ? `stage ${f.lifecycleStage}` : null]
      .filter(Boolean).map((t) => h('span', t))));

  if (!scores.scores.length) {
    view.append(h('p', 'No published model scores this lead yet.'));
  } else {
    const score = scores.scores.find((sc) => sc.model === params.model) ?? scores.scores[0];
    if (scores.scores.length > 1) {
      view.append(h('form.inline', field('Model', select(scores.scores.map((sc) => [sc.model, sc.model]), score.model,
        { on: { change: (e) => app.go(`#/leads/${encode(id)}` + query({ model: e.target.value, kind: params.kind })) } }))));
    }
    const definition = await loadDefinition(score.model, score.version, signal);
    view.append(summary(score, definition));
    view.append(breakdown(score, definition));
    const history = await api(`${base}/history` + query({ model: score.model }), { signal });
    view.append(historySection(history.entries, definition));
  }
  // A contact's prediction is one per contact (GET .../scores answers it beside the scores), whatever the model.
  const prediction = scores.prediction ?? scores.scores?.[0]?.prediction;
  if (prediction) view.append(predictionSection(prediction));
  else if (scores.predictionPending) view.append(pendingSection(scores.predictionPending));
  if (isContact) {
    view.append(runsSection(runs.items ?? []));
    view.append(timeline(events.events ?? []));
  }
}

function summary(score, definition) {
  const ex = score.explanation ?? {};
  const requirements = definition.requirements ?? [];
  const thresholds = [...(definition.thresholds ?? [])].sort((a, b) => a.points - b.points);
  const nextThreshold = thresholds.find((t) => !score.thresholds.includes(t.key));
  let verdict;
  if (score.disqualifiedBy || ex.disqualified) {
    verdict = h('p.verdict.bad', h('strong', 'Not qualified: '), `excluded by the disqualifier “${score.disqualifiedBy ?? ex.disqualifiedBy}”, so its score is 0 whatever it does.`);
  } else if (score.qualified) {
    verdict = h('p.verdict.good', h('strong', 'Qualified: '),
      requirements.length ? `meets all ${requirements.length} must-haves (${requirements.map((r) => r.key).join(', ')}).` : 'the model has no must-haves.');
  } else {
    verdict = h('p.verdict.warn', h('strong', 'Not qualified: '),
      `meets ${ex.requirementsMet ?? 0} of ${requirements.length} must-haves (${requirements.map((r) => r.key).join(', ')}); a lead qualifies only when all are met.`);
  }
  const toNext = nextThreshold
    ? h('p', `${Math.max(0, nextThreshold.points - score.points)} points below ${nextThreshold.key.toUpperCase()} (${nextThreshold.points}).`)
    : thresholds.length ? h('p', 'Above every threshold.') : null;
  return h('section.card.summary', { 'aria-labelledby': 'score-title' },
    h('h2', { id: 'score-title' }, `Score under ${score.model} v${score.version}`),
    h('div.score-line',
      h('div.big-score', { 'aria-label': `Score ${score.score}` }, num(score.score)),
      h('dl.facts',
        h('dt', 'Points'), h('dd', `${pts(score.points)} of ${definition.scale ?? 100}`),
        h('dt', 'Grade'), h('dd', score.grade ? h(`span.grade.grade-${score.grade}`, score.grade) : '–'),
        h('dt', 'Segment'), h('dd', ex.segment ? `${ex.segment} (${segmentName(ex.segment)})` : '–'),
        h('dt', 'Requirements met'), h('dd', `${ex.requirementsMet ?? 0} of ${requirements.length}`),
        h('dt', 'Thresholds'), h('dd', score.thresholds.length ? score.thresholds.map((t) => h('span.chip', t.toUpperCase())) : 'none'),
        h('dt', 'Next change by itself'), h('dd', score.nextChangeAt ? `${when(score.nextChangeAt)} (decay or expiry)` : 'none planned'))),
    verdict, toNext);
}

function breakdown(score, definition) {
  const ex = score.explanation ?? {};
  const rulesByKey = new Map((definition.rules ?? []).map((r) => [r.key, r]));
  const lines = ex.rules ?? [];
  const section = h('section.card', { 'aria-labelledby': 'breakdown-title' },
    h('h2', { id: 'breakdown-title' }, 'Score breakdown'),
    h('p.muted', 'Points per category against its budget, then each rule that gave points. A category never goes above its budget or below 0.'));
  for (const category of definition.categories ?? []) {
    const points = ex.categories?.[category.key] ?? 0;
    const ruleLines = lines.filter((l) => rulesByKey.get(l.rule)?.category === category.key);
    const raw = ruleLines.reduce((sum, l) => sum + l.points, 0);
    section.append(h('div.category', { 'data-category': category.key },
      h('h3', h('span', category.key), h('span.dimension', category.dimension), h('span.points', `${pts(points)} / ${category.budget}`)),
      meter(points, category.budget, `${category.key}: ${pts(points)} of ${category.budget} points`, { kind: category.dimension }),
      raw > points && raw > 0 ? h('p.capped', `Capped: its rules add up to ${pts(raw)}, the budget is ${category.budget}.`) : null,
      ruleLines.length
        ? h('table.rules',
          h('caption.visually-hidden', `Rules of ${category.key}`),
          h('thead', h('tr', h('th', { scope: 'col' }, 'Rule'), h('th.num', { scope: 'col' }, 'Points'), h('th', { scope: 'col' }, 'Against the budget'), h('th', { scope: 'col' }, 'Events'))),
          h('tbody', ruleLines.map((l) => {
            const rule = rulesByKey.get(l.rule);
            return h('tr', { 'data-rule': l.rule },
              h('th', { scope: 'row' }, l.rule, rule?.critical ? h('span.star', { title: 'critical behaviour', 'aria-label': 'critical' }, ' ★') : null),
              h('td.num', pts(l.points)),
              h('td.bar-cell', meter(l.points, category.budget, `${l.rule}: ${pts(l.points)} of ${category.budget}`, { kind: category.dimension })),
              h('td', l.events ? `${l.events} counted` : ''));
          })))
        : h('p.muted', 'No rule gives points here.')));
  }
  return section;
}

function historySection(entries, definition) {
  const recent = [...entries].reverse().slice(0, 50);
  return h('section.card', { 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'Score history'),
    historyChart(entries, definition.thresholds ?? [], definition.scale ?? 100),
    h('details', h('summary', `Every change (${entries.length}), newest first`),
      h('table.history-table',
        h('thead', h('tr', h('th', { scope: 'col' }, 'When'), h('th.num', { scope: 'col' }, 'Points'), h('th.num', { scope: 'col' }, 'Score'), h('th', { scope: 'col' }, 'Cause'))),
        h('tbody', recent.map((e) => h('tr',
          h('td', when(e.at)), h('td.num', `${e.oldPoints ?? '–'} → ${e.newPoints}`), h('td.num', `${e.oldScore ?? '–'} → ${e.newScore}`), h('td', causeText(e))))))));
}

// A reason's size in probability points, signed: "+4 pts", "-0.4 pts" (one decimal below a point).
function pointsText(points) {
  const size = Math.abs(points) >= 1 ? String(Math.round(Math.abs(points))) : Math.abs(points).toFixed(1);
  return `${points < 0 ? '-' : '+'}${size} pts`;
}

// Each way, the reasons with their size when the API gives one (predictions written before sizes have text only).
function reasonItems(prediction, direction, texts) {
  const reasons = (prediction.reasons ?? []).filter((r) => r.direction === direction);
  const items = reasons.length ? reasons : texts.map((text) => ({ text, points: null }));
  return items.map((r) => h('li', r.text, r.points === null || r.points === undefined ? '' : [' ', h('span.points', pointsText(r.points))]));
}

function predictionSection(prediction) {
  const raising = prediction.raising ?? [];
  const lowering = prediction.lowering ?? [];
  const value = prediction.expectedValue;
  const meaning = prediction.tierMeaning;
  return h('section.card', { 'aria-labelledby': 'prediction-title' },
    h('h2', { id: 'prediction-title' }, 'Prediction'),
    h('p', h('strong', `${prediction.probability}%`), ' probability to convert · priority ',
      h(`span.tier.tier-${String(prediction.tier).replace(' ', '-')}`, meaning ? { title: meaning } : {}, prediction.tier),
      meaning ? h('span.tier-meaning', `, ${meaning}`) : '',
      value !== null && value !== undefined ? ` · expected value ${money(value)}` : '',
      prediction.expectedDays ? ` · in about ${Math.round(prediction.expectedDays)} days` : ''),
    raising.length || lowering.length
      ? h('div.factors',
        raising.length ? [h('h3', 'Raising it, compared with a typical lead'), h('ul', reasonItems(prediction, 'raises', raising))] : null,
        lowering.length ? [h('h3', 'Lowering it, compared with a typical lead'), h('ul', reasonItems(prediction, 'lowers', lowering))] : null)
      : null,
    prediction.modelVersion ? h('p.muted', `Predictive model v${prediction.modelVersion}, ${when(prediction.predictedAt)}.`) : null);
}

// Cold start: no predictive model yet, and the API says how many more conversions training needs.
function pendingSection(pending) {
  return h('section.card', { id: 'prediction-pending', 'aria-labelledby': 'prediction-title' },
    h('h2', { id: 'prediction-title' }, 'Prediction'),
    h('p', pending.outcomesNeeded > 0
      ? [h('strong', `${pending.outcomesNeeded} more conversion${pending.outcomesNeeded === 1 ? '' : 's'} needed`), ` before the predictive model can be trained (${pending.conversions} recorded, at least ${pending.minimumConversions}).`]
      : pending.detail),
    h('p.muted', h('a', { href: '#/predictive' }, 'About the predictive model')));
}

function runsSection(runs) {
  return h('section.card', { 'aria-labelledby': 'runs-title' },
    h('h2', { id: 'runs-title' }, 'Automations that fired'),
    runs.length
      ? h('ul.runs', runs.map((r) => h('li',
        h('strong', r.automationId), ` on ${r.trigger}`, ` · ${when(r.at)}`,
        r.scoreBefore !== null ? ` · score ${r.scoreBefore ?? '–'} → ${r.scoreAfter ?? '–'}` : '',
        (r.actions ?? []).length ? h('ul', r.actions.map((a) => h('li', a))) : null)))
      : h('p.muted', 'No automation has run for this lead.'));
}

function timeline(events) {
  const newest = [...events].reverse();
  const shown = newest.slice(0, 100);
  return h('section.card', { 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, `Activity (${events.length} events)`),
    shown.length
      ? h('ol.timeline', shown.map((e) => h('li',
        h('time', { datetime: e.occurredAt, title: ago(e.occurredAt) }, when(e.occurredAt)),
        h('span.event-type', e.type.replaceAll('_', ' ')),
        Object.keys(e.properties ?? {}).length ? h('span.muted', Object.entries(e.properties).map(([k, v]) => `${k}: ${v}`).join(' · ')) : null)))
      : h('p.muted', 'No activity recorded.'),
    newest.length > shown.length ? h('p.muted', `The ${shown.length} most recent of ${newest.length}.`) : null);
}
