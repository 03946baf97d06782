// The monthly review of a published contact model (GET /api/v1/models/{key}/review): how well the
// scores of a period matched what happened, the leads they misjudged, and the proposal of a better
// model with its backtest, which can be saved as a draft. Stored reviews (the 30-day schedule's and
// those run on request) are listed and can be opened.
import { api, query } from '../api.js';
import { h, replace, num, pts, when, encode, select, field } from '../dom.js';
import { columnChart } from '../charts.js';
import { loadModels, forgetModels } from './models-data.js';
import { backtestView, leadLinks, percent, auc } from './backtest.js';

const PERIODS = [['30d', 'Last 30 days'], ['90d', 'Last 90 days']];

export async function renderReview(view, { app, params, signal }) {
  const models = (await loadModels({ fresh: false })).filter((m) => m.published && !m.archived && m.target === 'contact');
  view.append(h('h1', 'Monthly review'),
    h('p.muted', 'How the scores of a period matched what happened: each lead is scored as it was when it converted (or at the end of the period). ',
      'The server also stores a review of each published model every 30 days.'));
  if (!models.length) {
    view.append(h('p', 'No contact model is published, so there is nothing to review. ', h('a', { href: '#/models' }, 'Publish a model'), ' first.'));
    return;
  }

  const key = models.some((m) => m.key === params.model) ? params.model : models[0].key;
  const model = models.find((m) => m.key === key);
  const since = PERIODS.some(([value]) => value === params.since) ? params.since : PERIODS[0][0];
  const mqlVolume = /^[1-9]\d*$/.test(params.mqlVolume ?? '') ? params.mqlVolume : '';
  const storedId = /^\d+$/.test(params.review ?? '') ? params.review : '';
  const go = (changes) => app.go('#/review' + query({ model: key, since, mqlVolume, ...changes }), { keepFocus: true });

  const volume = h('input', { type: 'number', min: 1, step: 1, value: mqlVolume, name: 'mqlVolume', class: 'volume', placeholder: 'best F1' });
  volume.addEventListener('change', () => go({ mqlVolume: /^[1-9]\d*$/.test(volume.value) ? volume.value : '' }));
  const links = h('p.report-links',
    'Download this review as a report: ',
    h('a', { href: reportUrl(key, since, mqlVolume, 'html'), download: `review-${key}-${since}.html` }, 'HTML'), ' · ',
    h('a', { href: reportUrl(key, since, mqlVolume, 'md'), download: `review-${key}-${since}.md` }, 'Markdown'));
  view.append(
    h('form.filters', { 'aria-label': 'Review', on: { submit: (e) => e.preventDefault() } },
      field('Model', select(models.map((m) => [m.key, `${m.key} v${m.published}`]), key, { name: 'model', on: { change: (e) => go({ model: e.target.value, mqlVolume: '' }) } })),
      field('Period', select(PERIODS, since, { name: 'since', on: { change: (e) => go({ since: e.target.value }) } })),
      field('MQLs wanted', volume, 'The proposal sets its MQL threshold for about this many MQLs in the period; empty: the best F1.')),
    storedId ? null : links);

  const result = h('div.review', { id: 'review-result', 'aria-busy': 'true' });
  const stored = h('section.card', { id: 'stored-reviews', 'aria-labelledby': 'stored-title' },
    h('h2', { id: 'stored-title' }, 'Stored reviews'), h('p.muted', 'Loading…'));
  view.append(result, stored);

  // Not awaited: the page (and its heading, which takes focus) is there at once; the review follows.
  showStored(stored, key, storedId, since, signal).catch((e) => failed(stored, e, 'The stored reviews cannot be listed'));
  showReview(result, { app, key, model, since, mqlVolume, storedId, signal }).catch((e) => failed(result, e, 'The review cannot be computed'));
}

function reportUrl(key, since, mqlVolume, format) {
  return `/api/v1/models/${encode(key)}/review` + query({ since, mqlVolume, format });
}

function failed(holder, error, what) {
  if (error.name === 'AbortError') return;
  holder.removeAttribute('aria-busy');
  replace(holder, h('div.error-box', { role: 'alert' }, h('strong', `${what}: `), error.message ?? String(error)));
}

async function showReview(result, { app, key, model, since, mqlVolume, storedId, signal }) {
  const days = since.replace('d', '');
  replace(result, h('div.loading', { role: 'status' },
    h('progress', { 'aria-label': 'Computing the review' }),
    h('p', storedId ? `Loading stored review ${storedId}…`
      : `Computing the review of ${key} v${model.published} over the last ${days} days… Every lead of the period is scored as it was when it converted, which can take a few seconds.`)));
  let review;
  let storedInfo = null;
  if (storedId) {
    storedInfo = await api(`/models/${encode(key)}/reviews/${storedId}`, { signal });
    review = storedInfo.review;
  } else {
    review = await api(`/models/${encode(key)}/review` + query({ since, mqlVolume }), { signal });
  }
  const report = review.report;
  result.removeAttribute('aria-busy');
  replace(result,
    storedInfo ? h('p.notice', { id: 'stored-notice' },
      `Stored review ${storedInfo.id} of ${storedInfo.model} v${storedInfo.modelVersion}, made ${when(storedInfo.reviewedAt)} `,
      storedInfo.scheduled ? '(scheduled). ' : '(on request). ',
      h('a', { href: '#/review' + query({ model: key, since }) }, 'Back to the review computed now')) : null,
    health(report),
    charts(report),
    thresholdsAndGrades(report),
    rules(report),
    misjudged(report),
    proposal(review, { app, key, storedInfo }));
  app.status(`Reviewed ${key}: ${num(report.leads)} leads, ${num(report.converted)} converted.`);
}

function health(report) {
  const measures = report.health;
  const tone = /^(very good|good)/.test(measures.verdict) ? 'good' : /^fair/.test(measures.verdict) ? 'warn' : /^not enough/.test(measures.verdict) ? '' : 'bad';
  return h('section.card', { id: 'health', 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title' }, 'Health'),
    h('p.period', `${report.modelKey}, ${when(report.period.from).slice(0, 10)} to ${when(report.period.to).slice(0, 10)} (${Math.round(report.period.days)} days)`),
    h(`p.verdict${tone ? '.' + tone : ''}`, { id: 'verdict' }, h('strong', 'Verdict: '), measures.verdict),
    h('dl.facts.health-facts',
      h('dt', 'AUC'), h('dd', { id: 'auc' }, auc(measures.auc), h('span.muted', ' (0.5 is chance, 1 ranks every converter first)')),
      h('dt', 'Leads'), h('dd', { id: 'leads' }, num(report.leads)),
      h('dt', 'Converted'), h('dd', { id: 'converted' }, `${num(report.converted)} (${percent(report.conversionRate)})`),
      h('dt', 'Mean points, converted'), h('dd', { id: 'mean-converted' }, pts(measures.meanPointsConverted)),
      h('dt', 'Mean points, not converted'), h('dd', { id: 'mean-not-converted' }, pts(measures.meanPointsNotConverted))));
}

function charts(report) {
  const bands = report.distribution;
  const notConverted = report.leads - report.converted;
  const bandNames = bands.map((b) => `${b.from}–${b.to}`);
  const shareConverted = bands.map((b) => (report.converted ? b.converted / report.converted : 0));
  const shareNot = bands.map((b) => (notConverted ? b.notConverted / notConverted : 0));
  const pctAxis = (v) => `${Math.round(v * 100)}%`;
  const peak = (values) => bandNames[values.indexOf(Math.max(...values))];
  const distribution = figure('chart-distribution', 'Score distribution',
    columnChart({
      label: `Score distribution as shares of each group: converted leads peak at ${peak(shareConverted)} points, not converted at ${peak(shareNot)}.`,
      groups: bandNames,
      series: [
        { name: 'Converted', kind: 'converted', values: shareConverted, notes: bands.map((b) => `${b.converted} of ${report.converted}`) },
        { name: 'Not converted', kind: 'not-converted', values: shareNot, notes: bands.map((b) => `${b.notConverted} of ${notConverted}`) }],
      format: pctAxis, xTitle: 'points'}),
    [h('span.swatch.converted'), 'Converted', ' ', h('span.swatch.not-converted'), 'Not converted', ': share of each group per points band'],
    ['Points', 'Converted', 'Share of converted', 'Not converted', 'Share of not converted'],
    bands.map((b, i) => [bandNames[i], num(b.converted), percent(shareConverted[i]), num(b.notConverted), percent(shareNot[i])]));

  const deciles = report.deciles;
  const lift = figure('chart-lift', 'Lift by decile',
    columnChart({
      label: `Lift by decile, best-scored tenth first: ${deciles.map((d) => `${d.decile}: ${d.lift.toFixed(1)}`).join(', ')}.`,
      groups: deciles.map((d) => String(d.decile)),
      series: [{ name: 'Lift', kind: 'lift', values: deciles.map((d) => d.lift), notes: deciles.map((d) => `${d.converted} of ${d.leads} converted, ${pts(d.minPoints)}–${pts(d.maxPoints)} points`) }],
      format: (v) => v.toFixed(1), reference: { value: 1, label: 'average' }, xTitle: 'decile (1 = highest scores)'}),
    ['How many times the average conversion rate each tenth of the leads converts at, highest scores first'],
    ['Decile', 'Points', 'Leads', 'Converted', 'Rate', 'Lift'],
    deciles.map((d) => [String(d.decile), `${pts(d.minPoints)}–${pts(d.maxPoints)}`, num(d.leads), num(d.converted), percent(d.rate), d.lift.toFixed(2)]));

  const calibration = figure('chart-calibration', 'Calibration',
    columnChart({
      label: `Conversion rate per points band: ${bands.filter((b) => b.leads).map((b, i) => `${b.from}–${b.to}: ${percent(b.rate)}`).join(', ')}; overall ${percent(report.conversionRate)}.`,
      groups: bandNames,
      series: [{ name: 'Conversion rate', kind: 'rate', values: bands.map((b) => b.rate), notes: bands.map((b) => `${b.converted} of ${b.leads} leads`) }],
      format: pctAxis, max: Math.max(0.1, ...bands.map((b) => b.rate)), reference: { value: report.conversionRate, label: `overall ${percent(report.conversionRate)}`, at: 'start' }, xTitle: 'points'}),
    ['Conversion rate per points band: more points should mean a higher rate'],
    ['Points', 'Leads', 'Converted', 'Rate'],
    bands.map((b, i) => [bandNames[i], num(b.leads), num(b.converted), b.leads ? percent(b.rate) : '–']));

  return h('section.card', { id: 'charts', 'aria-labelledby': 'charts-title' },
    h('h2', { id: 'charts-title' }, 'Scores against outcomes'),
    h('div.chart-grid', distribution, lift, calibration));
}

/** A chart with its caption and, folded under it, the same figures as a table. */
function figure(id, title, chart, legend, columns, rows) {
  return h('figure.chart-figure', { id },
    h('figcaption', h('h3', title), h('span.legend-line', legend)),
    chart,
    h('details', h('summary', 'Figures', h('span.visually-hidden', ` of the ${title.toLowerCase()} chart`)), table(`${title}: figures`, columns, rows)));
}

function table(caption, columns, rows, { className = '', hideCaption = false } = {}) {
  return h('div.table-wrap', h(`table${className ? '.' + className : ''}`,
    h(hideCaption ? 'caption.visually-hidden' : 'caption', caption),
    h('thead', h('tr', columns.map((c, i) => h(i ? 'th.num' : 'th', { scope: 'col' }, c)))),
    h('tbody', rows.map((cells) => h('tr', cells.map((c, i) => (i ? h('td.num', c) : h('th', { scope: 'row' }, c))))))));
}

function thresholdsAndGrades(report) {
  return h('section.card', { id: 'thresholds', 'aria-labelledby': 'thresholds-title' },
    h('h2', { id: 'thresholds-title' }, 'Thresholds and grades'),
    h('div.two-columns',
      table('Thresholds: the leads that reached each, and how many converted',
        ['Threshold', 'Points', 'Leads reaching it', 'Converted', 'Precision', 'Recall'],
        report.thresholds.map((t) => [t.key, pts(t.points), num(t.volume), num(t.converted), percent(t.precision), percent(t.recall)]),
        { className: 'thresholds' }),
      table('Grades: conversion per grade',
        ['Grade', 'Leads', 'Converted', 'Rate'],
        report.grades.map((g) => [g.grade, num(g.leads), num(g.converted), percent(g.rate)]),
        { className: 'grades' })));
}

function rules(report) {
  const pointsText = (points, max) => (points === null || points === undefined ? '–' : max != null ? `${pts(points)}, at most ${pts(max)}` : pts(points));
  const anySuggestion = report.rules.some((r) => r.suggestedPoints != null);
  return h('section.card', { id: 'rules', 'aria-labelledby': 'rules-review-title' },
    h('h2', { id: 'rules-review-title' }, 'Rules'),
    h('div.table-wrap', h('table.review-rules',
      h('caption', anySuggestion ? 'Each rule: how often it fired, how those leads converted, and the points the proposal suggests' : 'Each rule: how often it fired and how those leads converted'),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Category'), h('th.num', { scope: 'col' }, 'Fires'),
        h('th.num', { scope: 'col' }, 'Converted when it fires'), h('th.num', { scope: 'col' }, 'when not'), h('th.num', { scope: 'col' }, 'Lift'),
        h('th.num', { scope: 'col' }, 'Points'), anySuggestion ? h('th.num', { scope: 'col' }, 'Suggested') : null)),
      h('tbody', report.rules.map((r) => {
        const changed = r.suggestedPoints != null && (r.suggestedPoints !== r.points || (r.suggestedMaxPoints ?? null) !== (r.maxPoints ?? null));
        return h('tr', { 'data-rule': r.rule },
          h('th', { scope: 'row' }, r.rule), h('td', r.category), h('td.num', num(r.fires)),
          h('td.num', percent(r.rateWhenFires)), h('td.num', percent(r.rateWhenNot)), h('td.num', r.lift == null ? '–' : r.lift.toFixed(2)),
          h('td.num', pointsText(r.points, r.maxPoints)),
          anySuggestion ? h(`td.num${changed ? '.suggested' : ''}`, r.suggestedPoints === 0 ? 'remove' : pointsText(r.suggestedPoints, r.suggestedMaxPoints)) : null);
      })))));
}

function misjudged(report) {
  const group = (id, title, description, g) => h('section.misjudged', { id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('p', h('strong.count', num(g.count)), ` ${description(g)}`),
    leadLinks(g.ids, g.count, report.modelKey),
    g.traits.length ? table(`What ${title.toLowerCase()} have in common`,
      ['Trait', 'Leads', 'Share of them', 'Share of all leads', 'Lift'],
      g.traits.map((t) => [t.trait, num(t.count), percent(t.shareInGroup), percent(t.shareOverall), t.lift.toFixed(1)]),
      { className: 'traits' }) : null);
  return h('section.card', { id: 'misjudged', 'aria-labelledby': 'misjudged-title' },
    h('h2', { id: 'misjudged-title' }, 'Leads the score misjudged'),
    h('div.two-columns',
      group('low-score-converters', 'Low-score converters',
        (g) => `lead${g.count === 1 ? '' : 's'} converted without reaching ${g.threshold}.`, report.lowScoreConverters),
      group('high-score-non-converters', 'High-score non-converters',
        (g) => `lead${g.count === 1 ? '' : 's'} reached ${g.threshold} and did not convert.`, report.highScoreNonConverters)));
}

function proposal(review, { app, key, storedInfo }) {
  const section = h('section.card', { id: 'proposal', 'aria-labelledby': 'proposal-title' }, h('h2', { id: 'proposal-title' }, 'Proposal'));
  const p = review.proposal;
  if (review.warnings?.length) {
    section.append(h('ul.warnings', { id: 'review-warnings' }, review.warnings.map((w) => h('li', w))));
  }
  if (!p) {
    const unconfirmed = review.unconfirmed;
    section.append(unconfirmed
      ? h('p.notice', { id: 'proposal-refused' }, h('strong', 'Keep the published model: '), review.validation?.verdict ?? review.proposalRefused)
      : h('p.notice', { id: 'proposal-refused' }, h('strong', 'No proposal: '), review.proposalRefused ?? 'the review made none.'));
    section.append(...outOfTime(review.validation));
    if (unconfirmed?.changesAnything) {
      section.append(h('h3', 'What it would change if more data confirms it'),
        h('p.muted', 'Fitted on the whole period, not saved as a draft: review again when more outcomes are in.'),
        changeList(unconfirmed.changes, 'changes.unconfirmed'));
    }
    return section;
  }
  if (!p.changesAnything) {
    section.append(h('p', { id: 'proposal-nothing' }, 'The proposal changes nothing: the published model already fits the period as well as the review can tell.'));
    return section;
  }
  const saveButton = h('button.primary', { type: 'button', id: 'save-proposal', 'aria-describedby': 'save-proposal-hint' }, 'Save as draft');
  const hint = h('p.hint', { id: 'save-proposal-hint' },
    app.canWrite() ? 'Saves the proposed model as a new draft version; nothing is published until you publish it from the editor.'
      : 'Saving a draft needs a write key.');
  const outcome = h('p.progress-text', { id: 'save-proposal-status', role: 'status', 'aria-live': 'polite' });
  const error = h('p.form-error', { role: 'alert' });
  saveButton.disabled = !app.canWrite();
  if (storedInfo?.draftVersion) {
    outcome.append(`This review's proposal was saved as draft v${storedInfo.draftVersion}. `, h('a', { href: `#/models/${encode(key)}` }, 'Open the model editor'));
  }
  saveButton.addEventListener('click', async () => {
    error.textContent = '';
    saveButton.disabled = true;
    try {
      const saved = await api('/models', { method: 'POST', body: p.model });
      forgetModels();
      const version = saved.version.version;
      saveButton.textContent = `Saved as v${version}`;
      replace(outcome, `Saved as draft v${version} of ${saved.version.key}. `,
        h('a', { href: `#/models/${encode(saved.version.key)}` }, `Open v${version} in the model editor`),
        ' to check it, change it or publish it.');
      app.status(`Saved the proposal as draft v${version}.`);
    } catch (e) {
      error.textContent = e.message;
      saveButton.disabled = false;
    }
  });
  section.append(
    h('p', review.validation?.verdict ?? ''),
    h('h3', `${p.changes.length} change${p.changes.length === 1 ? '' : 's'}`),
    changeList(p.changes, 'changes'),
    ...outOfTime(review.validation),
    h('h3', 'Backtest: the published model and the proposal over the same leads'),
    backtestView(p.backtest, { draftName: 'Proposal', modelKey: key }),
    h('div.buttons', saveButton), hint, error, outcome);
  return section;
}

function changeList(changes, css) {
  return h(`ul.${css}`, changes.map((c) => h('li', { 'data-kind': c.kind },
    h(`span.badge.change-${c.kind}`, c.kind), ' ', h('strong', c.subject), ': ',
    c.before && c.after ? `${c.before} → ${c.after}` : c.after ? c.after : `${c.before} → removed`,
    h('span.why', ` (${c.why})`))));
}

// The proposal's method fitted on older leads and judged on newer ones, fold by fold, with the gain and its 95% interval.
function outOfTime(validation) {
  if (!validation?.folds?.length) return [];
  const three = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
  const gain = (g) => (g ? `${g.value >= 0 ? '+' : ''}${three(g.value)} (95% interval ${three(g.low)} to ${three(g.high)})` : 'not measured');
  return [
    h('h3', 'Out of time'),
    h('div.table-wrap', h('table.out-of-time',
      h('caption', 'The proposal fitted on older leads, judged on newer ones: ROC-AUC at the outcome, and as a forecast'),
      h('thead', h('tr', ['Fold', 'Fitted on', 'Judged on', 'Leads', 'Converted', 'Published', 'Proposal', 'Forecast: published', 'Forecast: proposal'].map((c, i) =>
        h(i >= 3 ? 'th.num' : 'th', { scope: 'col' }, c)))),
      h('tbody', validation.folds.map((f) => h('tr',
        h('th', { scope: 'row' }, f.kind),
        h('td', `${when(f.fitted.from).slice(0, 10)} to ${when(f.fitted.to).slice(0, 10)}`),
        h('td', `${when(f.judged.from).slice(0, 10)} to ${when(f.judged.to).slice(0, 10)}`),
        h('td.num', num(f.leads)), h('td.num', num(f.converted)),
        h('td.num', three(f.publishedAuc)), h('td.num', three(f.proposalAuc)),
        h('td.num', three(f.forecastPublishedAuc)), h('td.num', three(f.forecastProposalAuc))))))),
    h('p', `Gain in ROC-AUC: ${gain(validation.gain)}; as a forecast: ${gain(validation.forecastGain)}.`),
  ];
}

async function showStored(holder, key, storedId, since, signal) {
  const { reviews } = await api(`/models/${encode(key)}/reviews`, { signal });
  const title = h('h2', { id: 'stored-title' }, 'Stored reviews');
  if (!reviews.length) {
    replace(holder, title, h('p.muted', `No stored review of ${key} yet. The server makes one every 30 days after a model is published, `,
      'and saves its proposal as a draft; ', h('code', `POST /api/v1/models/${key}/reviews`), ' stores one now.'));
    return;
  }
  replace(holder, title, h('div.table-wrap', h('table.stored-reviews',
    h('caption', `${reviews.length} stored review${reviews.length === 1 ? '' : 's'} of ${key}, newest first`),
    h('thead', h('tr', ['Reviewed', 'Version', 'Period', 'Made', 'Leads', 'Converted', 'AUC', 'Verdict', 'Draft saved'].map((c, i) =>
      h(i >= 4 && i <= 6 ? 'th.num' : 'th', { scope: 'col' }, c)))),
    h('tbody', reviews.map((r) => h('tr', { 'data-review': r.id, 'aria-current': String(r.id) === storedId ? 'true' : null },
      h('th', { scope: 'row' }, h('a', { href: '#/review' + query({ model: key, since, review: r.id }) }, when(r.reviewedAt))),
      h('td', `v${r.modelVersion}`),
      h('td', `${when(r.periodFrom).slice(0, 10)} to ${when(r.periodTo).slice(0, 10)}`),
      h('td', r.scheduled ? 'scheduled' : 'on request'),
      h('td.num', num(r.leads)), h('td.num', num(r.converted)), h('td.num', auc(r.auc)),
      h('td', r.verdict.split(':')[0]),
      h('td', r.draftVersion ? h('a', { href: `#/models/${encode(key)}` }, `v${r.draftVersion}`) : '–')))))));
}
