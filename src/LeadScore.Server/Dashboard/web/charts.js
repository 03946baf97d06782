// Inline SVG charts, drawn here: bars against a budget, the fit/engagement split, a score over time,
// and columns per band or decile (the review's distribution, lift and calibration).
import { h, s, when } from './dom.js';

/** A horizontal bar: value against max (negative values drawn from zero in the warning colour). */
export function meter(value, max, label, { kind = 'points' } = {}) {
  const scale = Math.max(max, Math.abs(value), 1);
  const width = Math.min(100, (Math.abs(value) / scale) * 100);
  return s('svg.meter', { viewBox: '0 0 100 8', preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
    s('rect.meter-track', { x: 0, y: 0, width: 100, height: 8, rx: 1 }),
    s(`rect.meter-fill.${value < 0 ? 'negative' : kind}`, { x: 0, y: 0, width: width.toFixed(2), height: 8, rx: 1 }));
}

/** The categories' budgets as one bar, coloured by dimension, with the fit / engagement totals. */
export function budgetSplit(categories) {
  const total = categories.reduce((sum, c) => sum + Math.max(0, Number(c.budget) || 0), 0) || 1;
  let x = 0;
  const fit = categories.filter((c) => c.dimension === 'fit').reduce((a, c) => a + (Number(c.budget) || 0), 0);
  const engagement = categories.filter((c) => c.dimension === 'engagement').reduce((a, c) => a + (Number(c.budget) || 0), 0);
  const label = `Budgets: fit ${fit}, engagement ${engagement}; ` + categories.map((c) => `${c.key} ${c.budget}`).join(', ');
  const svg = s('svg.split', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
    categories.map((c) => {
      const width = (Math.max(0, Number(c.budget) || 0) / total) * 100;
      const rect = s(`rect.${c.dimension === 'fit' ? 'fit' : 'engagement'}`, { x: x.toFixed(2), y: 0, width: Math.max(0, width - 0.4).toFixed(2), height: 10 },
        s('title', `${c.key} (${c.dimension}): ${c.budget}`));
      x += width;
      return rect;
    }));
  return h('figure.split-figure',
    svg,
    h('figcaption',
      h('span.legend.fit', `Fit ${fit}`), ' · ', h('span.legend.engagement', `Engagement ${engagement}`),
      ` · total ${fit + engagement}`,
      h('ul.split-labels', categories.map((c) => h('li', h(`span.swatch.${c.dimension === 'fit' ? 'fit' : 'engagement'}`), `${c.key} ${c.budget}`)))));
}

/** A step chart of points over time; each change is a dot whose tooltip says its cause. */
export function historyChart(entries, thresholds, scale = 100) {
  const width = 640;
  const height = 200;
  const pad = { left: 36, right: 12, top: 10, bottom: 24 };
  if (!entries.length) return h('p.muted', 'No score changes yet.');
  const times = entries.map((e) => new Date(e.at).getTime());
  const end = Math.max(Date.now(), times[times.length - 1]);
  const start = Math.min(...times);
  const span = Math.max(1, end - start);
  const top = Math.max(scale, ...entries.map((e) => e.newPoints));
  const bottom = Math.min(0, ...entries.map((e) => e.newPoints));
  const x = (t) => pad.left + ((t - start) / span) * (width - pad.left - pad.right);
  const y = (v) => pad.top + (1 - (v - bottom) / Math.max(1, top - bottom)) * (height - pad.top - pad.bottom);
  let path = '';
  entries.forEach((e, i) => {
    const px = x(times[i]);
    const py = y(e.newPoints);
    path += i === 0 ? `M${px},${py}` : ` H${px} V${py}`;
  });
  path += ` H${x(end)}`;
  const summary = `Points over time: ${entries.length} changes, from ${entries[0].newPoints} to ${entries[entries.length - 1].newPoints}.`;
  return s('svg.history', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary },
    [0, 0.5, 1].map((f) => {
      const v = Math.round(bottom + f * (top - bottom));
      return [s('line.grid', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
        s('text.axis', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, String(v))];
    }),
    thresholds.map((t) => [
      s('line.threshold', { x1: pad.left, x2: width - pad.right, y1: y(t.points), y2: y(t.points) }),
      s('text.threshold-label', { x: width - pad.right, y: y(t.points) - 3, 'text-anchor': 'end' }, `${t.key} ${t.points}`)]),
    s('path.line', { d: path }),
    entries.map((e, i) => s('circle.dot', { cx: x(times[i]), cy: y(e.newPoints), r: 3.5 },
      s('title', `${when(e.at)}: ${e.oldPoints ?? '–'} → ${e.newPoints} (${causeText(e)})`))),
    s('text.axis', { x: pad.left, y: height - 6 }, when(new Date(start).toISOString()).slice(0, 10)),
    s('text.axis', { x: width - pad.right, y: height - 6, 'text-anchor': 'end' }, when(new Date(end).toISOString()).slice(0, 10)));
}

/**
 * Columns per group (a points band, a decile), one per series side by side, with an optional dashed
 * reference line. Each column's tooltip gives its exact figure; <label> is what a screen reader reads.
 * series: [{ name, kind, values: number[], notes?: string[] }], kind being the CSS class of its colour;
 * reference: { value, label, at: 'end' (default) | 'start' }, where its label goes.
 */
export function columnChart({ label, groups, series, format = String, reference, max, xTitle }) {
  const width = 480;
  const height = 210;
  const pad = { left: 44, right: 10, top: 14, bottom: xTitle ? 40 : 26 };
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const values = series.flatMap((serie) => serie.values);
  const top = max ?? Math.max(...values, reference?.value ?? 0, 1e-9);
  const y = (v) => pad.top + (1 - Math.max(0, Math.min(v, top)) / top) * plotHeight;
  const slot = plotWidth / Math.max(1, groups.length);
  const barWidth = (slot * 0.8) / series.length;
  return s('svg.chart', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    s('title', label),
    [0, 0.5, 1].map((f) => [
      s('line.grid', { x1: pad.left, x2: width - pad.right, y1: y(f * top), y2: y(f * top) }),
      s('text.axis', { x: pad.left - 4, y: y(f * top) + 4, 'text-anchor': 'end' }, format(f * top))]),
    groups.map((group, i) => [
      series.map((serie, k) => {
        const v = serie.values[i] ?? 0;
        const x = pad.left + i * slot + slot * 0.1 + k * barWidth;
        return s(`rect.bar.${serie.kind}`, { x: x.toFixed(2), y: y(v).toFixed(2), width: Math.max(1, barWidth - 1).toFixed(2), height: Math.max(0, y(0) - y(v)).toFixed(2) },
          s('title', `${serie.name}, ${group}: ${format(v)}${serie.notes?.[i] ? ` (${serie.notes[i]})` : ''}`));
      }),
      s('text.axis', { x: (pad.left + (i + 0.5) * slot).toFixed(2), y: height - pad.bottom + 14, 'text-anchor': 'middle' }, group)]),
    reference ? [
      s('line.reference', { x1: pad.left, x2: width - pad.right, y1: y(reference.value), y2: y(reference.value) }),
      reference.at === 'start'
        ? s('text.reference-label', { x: pad.left + 4, y: y(reference.value) - 4 }, reference.label)
        : s('text.reference-label', { x: width - pad.right, y: y(reference.value) - 4, 'text-anchor': 'end' }, reference.label)] : null,
    xTitle ? s('text.axis', { x: pad.left + plotWidth / 2, y: height - 4, 'text-anchor': 'middle' }, xTitle) : null);
}

export function causeText(entry) {
  const id = entry.causeId ? ` ${entry.causeId}` : '';
  switch (entry.cause) {
    case 'event': return `event${id}`;
    case 'publish': return `model published${id ? ' (' + entry.causeId + ')' : ''}`;
    case 'decay': return 'points decayed or expired';
    case 'adjustment': return `manual adjustment${id}`;
    case 'field-change': return 'a field changed';
    case 'automation': return `automation${id}`;
    default: return `${entry.cause}${id}`;
  }
}
