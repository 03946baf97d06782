// A backtest (GET .../review's proposal, POST .../backtest) as the review page and the editor show it:
// the published model and the draft side by side over the same leads, and who moves across the MQL line.
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
    h('div.moved',
      moved('moved-in', `Moved in: MQL with the ${draftName.toLowerCase()} only`, backtest.movedIn, modelKey),
      moved('moved-out', `Moved out: MQL with the published model only`, backtest.movedOut, modelKey)));
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
