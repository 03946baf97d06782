// A small element builder: h('tag.class', {attributes, on: {event: fn}}, children...).

const SVG = 'http://www.w3.org/2000/svg';

function build(namespace, spec, props, children) {
  const [tag, ...classes] = spec.split('.');
  const el = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
  if (classes.length) el.setAttribute('class', classes.join(' '));
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children = [props, ...children];
    props = null;
  }
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (name === 'style') Object.assign(el.style, value);
    else if (name === 'class') el.setAttribute('class', [el.getAttribute('class'), value].filter(Boolean).join(' '));
    else if (!namespace && name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const h = (spec, props, ...children) => build(null, spec, props, children);
export const s = (spec, props, ...children) => build(SVG, spec, props, children);

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let unique = 0;
export const uid = (prefix) => `${prefix}-${++unique}`;

/** A labelled form control: a label and the control, joined by id. */
export function field(label, control, hint) {
  const id = control.id || (control.id = uid('f'));
  const hintEl = hint ? h('span.hint', { id: id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', h('label', { for: id }, label), control, hintEl);
}

export function select(options, value, props = {}) {
  return h('select', props, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
}

const numberFormat = new Intl.NumberFormat('en-US');
export const num = (n) => (n === null || n === undefined ? '–' : numberFormat.format(n));
/** Points as people write them: at most two decimals (decay makes fractions). */
export const pts = (n) => (n === null || n === undefined ? '–' : String(Math.round(n * 100) / 100));
export const money = (n) => (n === null || n === undefined ? '–' : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n));

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function ago(iso) {
  if (!iso) return '–';
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  if (seconds < 60) return 'just now';
  const units = [['y', 31536000], ['mo', 2592000], ['d', 86400], ['h', 3600], ['min', 60]];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return `${Math.round(seconds / size)} ${unit} ago`;
  return 'just now';
}

export function errorBox(error) {
  return h('div.error-box', { role: 'alert' }, h('strong', 'Error: '), error.message ?? String(error));
}

export const encode = encodeURIComponent;
