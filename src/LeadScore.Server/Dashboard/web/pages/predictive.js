// The predictive model's card (GET /api/v1/predictive/models/{version}): how it was judged (time-ordered
// first, shuffled folds only as a secondary figure), beside the naive baselines on the same rows, its
// calibration by decile, and what the leakage check tested and left out. Without a model yet, how many
// more conversions training needs.
import { api } from '../api.js';
import { h, num, when, encode } from '../dom.js';

const fixed = (n, digits) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toFixed(digits));
const pct = (n) => (n === null || n === undefined ? '–' : `${(100 * n).toFixed(1)}%`);

export async function renderPredictive(view, { id, signal }) {
  const [list, status] = await Promise.all([api('/predictive/models', { signal }), api('/predictive/status', { signal })]);
  const versions = list.versions ?? [];
  view.append(h('h1', 'Predictive model'));
  if (!versions.length) {
    view.append(notTrained(status));
    return;
  }
  const version = id && /^\d+$/.test(id) ? Number(id) : versions[0].version;
  const model = await api(`/predictive/models/${encode(version)}`, { signal });
  view.append(
    h('p.muted', 'A model of the probability that a lead converts within the horizon, learned from past outcomes; ',
      'judged the way it is used: trained on the past and tested on the period after.'),
    versions.length > 1
      ? h('nav.versions', { 'aria-label': 'Versions' }, h('ul.versions', versions.map((v) => h('li',
        v.version === version ? h('strong', { 'aria-current': 'page' }, `v${v.version}`) : h('a', { href: `#/predictive/${v.version}` }, `v${v.version}`),
        h('span.muted', ` · ${when(v.trainedAt)}`)))))
      : null,
    card(model));
}

function notTrained(status) {
  const needed = Math.max(0, 20 - (status.conversions ?? 0));
  const last = status.lastRun && status.lastRun.result !== 'trained' ? status.lastRun.message : null;
  return h('section.card', { id: 'not-trained' },
    h('p', h('strong', 'Not trained yet. '), needed > 0
      ? `Training needs at least ${needed} more conversion${needed === 1 ? '' : 's'} (${num(status.conversions ?? 0)} recorded, at least 20 needed).`
      : `${num(status.conversions)} conversions are recorded; the next training will try.`),
    last ? h('p.muted', `Last training: ${last}`) : null);
}

function card(model) {
  const report = model.report;
  const m = report.metrics;
  const leakage = report.leakage;
  return h('div.model-card', { 'data-version': model.version },
    h('section.card', { 'aria-labelledby': 'card-title' },
      h('h2', { id: 'card-title' }, `Version ${model.version} · ${m.trainer}`),
      h('dl.facts',
        h('dt', 'Trained'), h('dd', when(model.trainedAt)),
        h('dt', 'Judged on'), h('dd', { id: 'validation' }, m.validation),
        h('dt', 'Training rows'), h('dd', `${num(m.rows)} (${num(m.positives)} converted)`),
        h('dt', 'Shuffled folds'), h('dd', { id: 'shuffled-auc' }, m.shuffledAuc !== null && m.shuffledAuc !== undefined
          ? `AUC ${fixed(m.shuffledAuc, 3)}: a secondary figure, kinder than the time-ordered one because it lets the model learn from the future`
          : '–'))),
    h('section.card', { 'aria-labelledby': 'metrics-title' },
      h('h2', { id: 'metrics-title' }, 'Against naive baselines, on the same rows'),
      h('div.table-wrap', h('table.model-metrics',
        h('thead', h('tr', h('th', { scope: 'col' }, ''), h('th.num', { scope: 'col' }, 'ROC-AUC'), h('th.num', { scope: 'col' }, 'Brier'),
          h('th.num', { scope: 'col' }, 'Log loss'), h('th.num', { scope: 'col' }, 'Lift, top 10%'))),
        h('tbody',
          row('model', 'This model', m),
          (m.baselines ?? []).map((b) => row(b.name, baselineName(b.name), b, b.method)))))),
    h('section.card', { 'aria-labelledby': 'calibration-title' },
      h('h2', { id: 'calibration-title' }, 'Calibration by decile'),
      h('p.muted', 'The validated leads sorted by predicted probability and cut into ten groups: what the model predicted for each, and what happened.'),
      h('div.table-wrap', h('table.calibration',
        h('thead', h('tr', h('th.num', { scope: 'col' }, 'Decile'), h('th.num', { scope: 'col' }, 'Leads'),
          h('th.num', { scope: 'col' }, 'Predicted'), h('th.num', { scope: 'col' }, 'Observed'))),
        h('tbody', (m.calibration ?? []).map((d) => h('tr', { 'data-decile': d.decile },
          h('td.num', d.decile), h('td.num', num(d.rows)), h('td.num.predicted', pct(d.meanPredicted)), h('td.num.observed', pct(d.observedRate)))))))),
    h('section.card', { id: 'leakage', 'aria-labelledby': 'leakage-title' },
      h('h2', { id: 'leakage-title' }, 'Leakage check'),
      leakageText(leakage),
      changedAfter(report.changedAfterConversion ?? []),
      report.leakageChecks ? h('p.muted', report.leakageChecks) : null,
      (report.warnings ?? []).length ? h('ul.warnings', report.warnings.map((w) => h('li', w))) : null));
}

/** The fields left out because their value changed at or after the conversion, with how often. */
function changedAfter(fields) {
  if (!fields.length) return null;
  return h('div', { id: 'changed-after-conversion' },
    h('p', 'Left out because their value changed at or after the conversion (the store holds each field as it is now):'),
    h('ul', fields.map((f) => h('li', { 'data-field': f.field }, h('code', f.field),
      `: changed at or after converting for ${num(f.changedAfter)} of the ${num(f.converters)} converters that have it`))));
}

function baselineName(name) {
  if (name === 'NaiveBayes') return 'Naive Bayes (as Odoo CRM)';
  if (name.startsWith('score:')) return `Rules: ${name.slice('score:'.length)} points`;
  return name;
}

function row(key, label, metrics, title) {
  return h('tr', { 'data-row': key },
    h('th', { scope: 'row', title: title ?? '' }, label),
    h('td.num.auc', fixed(metrics.auc, 3)), h('td.num.brier', fixed(metrics.brier, 4)),
    h('td.num.log-loss', fixed(metrics.logLoss, 4)), h('td.num.lift', fixed(metrics.liftTop10, 2)));
}

function leakageText(leakage) {
  if (!leakage) return h('p', 'This version was trained before the leakage check.');
  const tested = leakage.tested;
  if (!tested) return h('p', 'No field alone ranks conversions better than the best of the other features: nothing to test.');
  const figures = `alone it ranks conversions at AUC ${fixed(tested.singleFeatureAuc, 3)}, all the other features together at ${fixed(tested.othersAuc, 3)}`;
  if (!(leakage.flagged ?? []).length) return h('p', `Nothing flagged: the strongest field, ${tested.column}, ${figures}.`);
  return h('p.verdict.warn', h('strong', leakage.leftOut ? `${tested.column} is left out: ` : `${tested.column} is flagged, and kept: `),
    `${figures}, so it likely records the outcome rather than predicting it.`);
}
