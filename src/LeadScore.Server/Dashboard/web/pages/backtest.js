// A backtest (GET .../review's proposal, POST .../backtest) as the review page and the editor show it:
// the published model and the draft side by side over the same leads, what it does to each threshold's
// list (MQL, SQL...), and who moves across the MQL line.
import { h, num, pts, encode } from '../dom.js';

export const percent = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10}%`);
export const auc = (x) => (x === null || x === undefined ? '–' : x.toFixed(3));

const signed = (x, digits) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(digits);

/**
 * The side-by-side table and the leads that move in or out. <draftName> names the right-hand column
 * ("Proposal", "Draft"); lead ids link to the lead page under <modelKey>.
 */
export function backtestView(backtest, { draftName, modelKey, caption }) {
  const { published: before, draft: after } = backtest;
  const mql = (side) => (side.mql ? `${side.mql} at ${pts(side.mqlPoints)} points` : 'none');
  const rows = [
    ['auc', 'AUC', auc(before.auc), auc(after.auc), signed(after.auc - before.auc, 3)],
    ['mql', 'MQL threshold', mql(before), mql(after), before.mqlPoints != null && after.mqlPoints != null ? signed(after.mqlPoints - before.mqlPoints, 0) : ''],
    ['mqls', 'MQLs', num(before.mqls), num(after.mqls), signed(after.mqls - before.mqls, 0)],
    ['converted-mqls', 'MQLs that converted', num(before.convertedMqls), num(after.convertedMqls), signed(after.convertedMqls - before.convertedMqls, 0)],
    ['precision', 'Precision at MQL', percent(before.precision), percent(after.precision), signed((after.precision - before.precision) * 100, 1) + ' pt'],
    ['recall', 'Recall at MQL', percent(before.recall), percent(after.recall), signed((after.recall - before.recall) * 100, 1) + ' pt'],
  ];
  const days = Math.round(backtest.period.days);
  return h('div.backtest',
    h('div.table-wrap', h('table.backtest',
      h('caption', caption ?? `Backtest over the last ${days} days: ${num(backtest.leads)} leads, ${num(backtest.converted)} converted`),
      h('thead', h('tr', h('td'), h('th.num', { scope: 'col' }, `Published (${before.modelKey})`), h('th.num', { scope: 'col' }, draftName), h('th.num', { scope: 'col' }, 'Change'))),
      h('tbody', rows.map(([id, name, a, b, change]) => h('tr', { 'data-measure': id },
        h('th', { scope: 'row' }, name), h('td.num.published', a), h('td.num.draft', b), h('td.num.change', change)))))),
    thresholdLists(backtest.lists ?? [], draftName),
    h('div.moved',
      moved('moved-in', `Moved in: MQL with the ${draftName.toLowerCase()} only`, backtest.movedIn, modelKey),
      moved('moved-out', `Moved out: MQL with the published model only`, backtest.movedOut, modelKey)));
}

/**
 * What the draft does to every list a threshold makes: how many leads reach it now and with the draft,
 * the converters among them, who joins and who leaves. A threshold no lead reaches with the draft is
 * said in words, since a list that empties is what a publish must never do by surprise.
 */
function thresholdLists(lists, draftName) {
  if (!lists.length) return null;
  const points = (p) => (p === null || p === undefined ? 'none' : pts(p));
  return h('div.table-wrap', h('table.threshold-lists',
    h('caption', `What the ${draftName.toLowerCase()} does to each list`),
    h('thead', h('tr',
      h('th', { scope: 'col' }, 'Threshold'), h('th.num', { scope: 'col' }, 'Points'),
      h('th.num', { scope: 'col' }, 'Leads now'), h('th.num', { scope: 'col' }, `With the ${draftName.toLowerCase()}`),
      h('th.num', { scope: 'col' }, 'Joining'), h('th.num', { scope: 'col' }, 'Leaving'))),
    h('tbody', lists.map((l) => h(`tr${unreachable(l) ? '.unreachable' : ''}`, { 'data-threshold': l.key },
      h('th', { scope: 'row' }, l.key.toUpperCase(), unreachable(l) ? h('span.warn-text', ` no lead reaches it with the ${draftName.toLowerCase()}`) : null),
      h('td.num.points', `${points(l.publishedPoints)} → ${points(l.draftPoints)}`),
      h('td.num.published', `${num(l.publishedLeads)} (${num(l.publishedConverted)} converted)`),
      h('td.num.draft', `${num(l.draftLeads)} (${num(l.draftConverted)} converted)`),
      h('td.num.joining', num(l.joining)),
      h('td.num.leaving', num(l.leaving)))))));
}

/** A threshold the draft keeps but that no lead of the period reaches with it. */
export const unreachable = (list) => list.draftPoints !== null && list.draftPoints !== undefined && list.draftLeads === 0;

/** One line on what the draft does to the lists, as the editor says it beside Publish. */
export function listsSummary(backtest) {
  const lists = backtest.lists ?? [];
  if (!lists.length) return '';
  const days = Math.round(backtest.period.days);
  const moves = lists.map((l) => `${l.key.toUpperCase()} ${num(l.publishedLeads)} → ${num(l.draftLeads)} leads`);
  const empty = lists.filter(unreachable).map((l) => l.key.toUpperCase());
  return `Over the last ${days} days this draft changes ${moves.join(', ')}.`
    + (empty.length ? ` No lead would reach ${empty.join(' or ')}: check the thresholds before publishing.` : '');
}

function moved(id, title, group, modelKey) {
  return h('section.moved-group', { id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('p.moved-count', `${num(group.count)} lead${group.count === 1 ? '' : 's'}, ${num(group.converted)} converted`),
    leadLinks(group.ids, group.count, modelKey));
}

/** The first few lead ids as links to their pages, and how many more there are. */
export function leadLinks(ids, count, modelKey, shown = 10) {
  if (!ids.length) return null;
  const more = Math.max(0, count - Math.min(shown, ids.length));
  return h('p.lead-ids',
    ids.slice(0, shown).map((id, i) => [i ? ', ' : '', h('a', { href: `#/leads/${encode(id)}?model=${encode(modelKey)}` }, id)]),
    more ? ` and ${num(more)} more` : '');
}
