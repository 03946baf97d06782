// The draft editor: budgets as one fit/engagement bar, categories and rules as tables, the JSON
// itself, all kept in step; every change is validated by the server (errors and warnings placed next
// to the category or rule their JSON path names), backtested beside the published version, saved as a
// draft, and published with progress.
import { api, query } from '../api.js';
import { h, replace, when, encode, select, field } from '../dom.js';
import { budgetSplit } from '../charts.js';
import { forgetModels } from './models-data.js';
import { backtestView, listsSummary, unreachable } from './backtest.js';

export async function renderModelEditor(view, { app, id: key, signal }) {
  const versions = (await api(`/models/${encode(key)}`, { signal })).versions;
  const latest = versions[versions.length - 1];
  const publishedVersion = versions.find((v) => v.status === 'published');
  const loaded = await api(`/models/${encode(key)}/versions/${latest.version}`, { signal });
  const state = {
    model: loaded.definition,
    text: pretty(loaded.definition),
    saved: pretty(loaded.definition),
    latest,
    published: publishedVersion,
  };

  const validationStatus = h('p.validation-status', { id: 'validation-status', role: 'status', 'aria-live': 'polite' });
  const general = h('ul.messages', { id: 'general-messages' });
  const splitHolder = h('div');
  const categoriesBody = h('tbody');
  const rulesBody = h('tbody');
  const textarea = h('textarea.json', { id: 'model-json', rows: 24, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'validation-status' });
  textarea.value = state.text;
  const versionInfo = h('p.version-info');
  const saveButton = h('button.primary', { type: 'button', id: 'save-draft' }, 'Save draft');
  const publishButton = h('button', { type: 'button', id: 'publish', 'aria-describedby': 'publish-hint' }, 'Publish');
  const publishHint = h('p.hint', { id: 'publish-hint' });
  const progress = h('progress', { id: 'publish-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Re-score progress' });
  const progressText = h('p.progress-text', { id: 'publish-status', role: 'status', 'aria-live': 'polite' });
  const actionError = h('p.form-error', { role: 'alert' });
  const backtestButton = h('button', { type: 'button', id: 'run-backtest' }, 'Backtest against published');
  const backtestPeriod = select([['30d', 'Last 30 days'], ['90d', 'Last 90 days'], ['180d', 'Last 180 days']], '90d', { id: 'backtest-since' });
  const backtestStatus = h('p.progress-text', { id: 'backtest-status', role: 'status', 'aria-live': 'polite' });
  const backtestError = h('div', { id: 'backtest-error', role: 'alert' });
  const backtestResult = h('div', { id: 'backtest-result' });

  view.append(
    h('p.breadcrumb', h('a', { href: '#/models' }, '← Models')),
    h('h1', `Model ${key}`),
    versionInfo,
    h('section.card', { 'aria-labelledby': 'validation-title' },
      h('h2', { id: 'validation-title' }, 'Validation'), validationStatus, general),
    h('section.card', { 'aria-labelledby': 'budgets-title' },
      h('h2', { id: 'budgets-title' }, 'Categories and budgets'), splitHolder,
      h('div.table-wrap', h('table.categories',
        h('caption.visually-hidden', 'Categories'),
        h('thead', h('tr', h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Dimension'), h('th', { scope: 'col' }, 'Budget'), h('th', { scope: 'col' }, 'Rules'), h('th', { scope: 'col' }, 'Messages'))),
        categoriesBody))),
    h('section.card', { 'aria-labelledby': 'rules-title' },
      h('h2', { id: 'rules-title' }, 'Rules'),
      h('div.table-wrap', h('table.rules-editor',
        h('caption.visually-hidden', 'Rules'),
        h('thead', h('tr', h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Points'),
          h('th', { scope: 'col' }, 'Critical'), h('th', { scope: 'col' }, 'Condition'), h('th', { scope: 'col' }, 'Messages'))),
        rulesBody))),
    h('section.card', { 'aria-labelledby': 'json-title' },
      h('h2', { id: 'json-title' }, h('label', { for: 'model-json' }, 'JSON')),
      h('p.muted', 'The whole model; the tables above edit the same text. Properties and operators: docs/scoring-model.md.'),
      textarea),
    h('section.card', { id: 'backtest', 'aria-labelledby': 'backtest-title' },
      h('h2', { id: 'backtest-title' }, 'Backtest'),
      h('p.muted', 'Replays this draft (as it is now, saved or not) and the published version over the same leads of a period: ',
        'how well each ranks the leads that converted, and who crosses the MQL line.'),
      h('div.filters', field('Period', backtestPeriod), backtestButton),
      backtestStatus, backtestError, backtestResult),
    h('section.card.actions', { 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, 'Save and publish'),
      h('div.buttons', saveButton, publishButton), publishHint,
      actionError, progress, progressText));

  let timer;
  let sequence = 0;
  const changed = (fromText) => {
    if (!fromText) {
      state.text = pretty(state.model);
      textarea.value = state.text;
    }
    renderSplit();
    if (fromText) renderTables();
    else renderCounts();
    updateButtons();
    clearTimeout(timer);
    validationStatus.textContent = 'Checking…';
    timer = setTimeout(validate, 300);
  };

  textarea.addEventListener('input', () => {
    state.text = textarea.value;
    try {
      state.model = JSON.parse(state.text);
      changed(true);
    } catch {
      state.model = null;
      updateButtons();
      clearTimeout(timer);
      timer = setTimeout(validate, 300);
    }
  });

  function renderSplit() {
    if (state.model && Array.isArray(state.model.categories)) replace(splitHolder, budgetSplit(state.model.categories));
  }

  function renderCounts() {
    for (const row of categoriesBody.rows) {
      const count = (state.model.rules ?? []).filter((r) => r.category === row.dataset.category).length;
      row.querySelector('.rule-count').textContent = String(count);
    }
  }

  function renderTables() {
    if (!state.model) return;
    const categories = state.model.categories ?? [];
    replace(categoriesBody, categories.map((c, i) => {
      const keyInput = h('input', { type: 'text', value: c.key ?? '', 'aria-label': `Key of category ${i + 1}`, size: 14 });
      keyInput.addEventListener('change', () => {
        const old = c.key;
        c.key = keyInput.value.trim();
        for (const rule of state.model.rules ?? []) if (rule.category === old) rule.category = c.key;
        changed(false);
        renderTables();
      });
      const dimension = select([['fit', 'fit'], ['engagement', 'engagement']], c.dimension, { 'aria-label': `Dimension of ${c.key}` });
      dimension.addEventListener('change', () => { c.dimension = dimension.value; changed(false); });
      const budget = h('input', { type: 'number', value: String(c.budget ?? 0), step: 'any', 'aria-label': `Budget of ${c.key}`, class: 'small' });
      budget.addEventListener('input', () => { c.budget = budget.value === '' ? 0 : Number(budget.value); changed(false); });
      return h('tr', { id: `category-${i}`, 'data-category': c.key },
        h('th', { scope: 'row' }, keyInput), h('td', dimension), h('td', budget),
        h('td.rule-count', String((state.model.rules ?? []).filter((r) => r.category === c.key).length)),
        h('td.messages-cell', h('ul.messages', { id: `category-${i}-messages` })));
    }));
    const categoryOptions = categories.map((c) => [c.key, c.key]);
    replace(rulesBody, (state.model.rules ?? []).map((r, i) => {
      const keyInput = h('input', { type: 'text', value: r.key ?? '', 'aria-label': `Key of rule ${i + 1}`, size: 16, name: `rule-${i}-key` });
      keyInput.addEventListener('input', () => { r.key = keyInput.value; changed(false); });
      const options = categoryOptions.some(([k]) => k === r.category) ? categoryOptions : [[r.category, `${r.category} (unknown)`], ...categoryOptions];
      const category = select(options, r.category, { 'aria-label': `Category of rule ${r.key}` });
      category.addEventListener('change', () => { r.category = category.value; changed(false); });
      const points = h('input', { type: 'number', value: String(r.points ?? 0), step: 'any', 'aria-label': `Points of rule ${r.key}`, class: 'small' });
      points.addEventListener('input', () => { r.points = points.value === '' ? 0 : Number(points.value); changed(false); });
      const critical = h('input', { type: 'checkbox', checked: !!r.critical, 'aria-label': `Rule ${r.key} is critical` });
      critical.addEventListener('change', () => {
        if (critical.checked) r.critical = true;
        else delete r.critical;
        changed(false);
      });
      return h('tr', { id: `rule-${i}`, 'data-rule': r.key },
        h('th', { scope: 'row' }, keyInput), h('td', category), h('td', points), h('td.center', critical),
        h('td.condition', h('code', conditionText(r))),
        h('td.messages-cell', h('ul.messages', { id: `rule-${i}-messages` })));
    }));
  }

  async function validate() {
    const mine = ++sequence;
    let result;
    try {
      result = await api(`/models/${encode(key)}/validate`, { method: 'POST', body: state.text, signal });
    } catch (e) {
      if (e.name === 'AbortError' || mine !== sequence) return;
      result = { valid: false, errors: [{ path: '$', code: e.problem?.code ?? 'invalid', message: e.message }], warnings: [] };
    }
    if (mine !== sequence) return;
    state.validation = result;
    showMessages(result);
    updateButtons();
  }

  function showMessages(result) {
    for (const list of view.querySelectorAll('.messages-cell .messages')) list.replaceChildren();
    for (const row of view.querySelectorAll('tr.has-error, tr.has-warning')) row.classList.remove('has-error', 'has-warning');
    general.replaceChildren();
    const all = [...result.errors.map((m) => ({ ...m, level: 'error' })), ...result.warnings.map((m) => ({ ...m, level: 'warning' }))];
    for (const m of all) {
      const target = targetOf(m.path);
      const item = h(`li.${m.level}`, { 'data-code': m.code },
        h('strong', m.level === 'error' ? 'Error' : 'Warning'), ` ${m.message} `, h('code.path', m.path));
      const row = target ? view.querySelector(`#${target}`) : null;
      if (row) {
        row.querySelector('.messages').append(item);
        row.classList.add(m.level === 'error' ? 'has-error' : 'has-warning');
        general.append(h(`li.${m.level}`, h('strong', m.level === 'error' ? 'Error' : 'Warning'), ` ${m.message} `,
          h('a', { href: '#', on: { click: (e) => { e.preventDefault(); row.querySelector('input, select')?.focus(); } } }, `at ${m.path}`)));
      } else {
        general.append(item);
      }
    }
    const e = result.errors.length;
    const w = result.warnings.length;
    validationStatus.textContent = e
      ? `${e} error${e > 1 ? 's' : ''}${w ? ` and ${w} warning${w > 1 ? 's' : ''}` : ''}: fix the errors to save.`
      : w ? `Valid, with ${w} warning${w > 1 ? 's' : ''}.` : 'Valid: no errors, no warnings.';
    validationStatus.className = `validation-status ${e ? 'bad' : w ? 'warn' : 'good'}`;
  }

  function targetOf(path) {
    const rule = /^\$\.rules\[(\d+)\]/.exec(path);
    if (rule) return `rule-${rule[1]}`;
    const category = /^\$\.categories\[(\d+)\]/.exec(path);
    if (category) return `category-${category[1]}`;
    return null;
  }

  function dirty() {
    return normalise(state.text) !== normalise(state.saved);
  }

  function updateButtons() {
    const valid = state.model && state.validation?.valid !== false;
    saveButton.disabled = !app.canWrite() || !dirty() || !valid;
    const draftToPublish = state.latest.status === 'draft';
    publishButton.disabled = !app.isAdmin() || dirty() || !draftToPublish;
    publishButton.textContent = draftToPublish ? `Publish v${state.latest.version}` : 'Publish';
    publishHint.textContent = !app.isAdmin() ? 'Publishing needs an admin key.'
      : dirty() ? 'Save the draft first: what is published is a saved version.'
        : draftToPublish ? `Publishing v${state.latest.version} re-scores every ${state.latest.target ?? 'record'} with it. ${state.effect?.text ?? ''}`.trim()
          : `Nothing new to publish: v${state.latest.version} is ${state.latest.status}.`;
    publishHint.classList.toggle('warn-text', draftToPublish && !dirty() && state.effect?.emptiesAList === true);
    replace(versionInfo,
      `Editing from v${state.latest.version} (${state.latest.status}, ${when(state.latest.createdAt)}). `,
      state.published ? `Published: v${state.published.version}. ` : 'Not published yet. ',
      dirty() ? h('strong', 'Unsaved changes.') : 'No unsaved changes.',
      !app.canWrite() ? ' Your key is read-only: you can validate but not save.' : '',
      app.canWrite() && !app.isAdmin() ? ' Publishing needs an admin key.' : '');
  }

  saveButton.addEventListener('click', async () => {
    actionError.textContent = '';
    saveButton.disabled = true;
    try {
      const saved = await api('/models', { method: 'POST', body: state.text });
      state.latest = saved.version;
      forgetModels();
      state.saved = state.text;
      state.effect = undefined;
      app.status(`Saved draft v${saved.version.version}.`);
      progressText.textContent = `Saved as draft v${saved.version.version}.`;
      if (state.published) runBacktest();
    } catch (e) {
      actionError.textContent = e.message;
      if (e.problem?.errors) showMessages({ errors: e.problem.errors, warnings: e.problem.warnings ?? [] });
    }
    updateButtons();
  });

  publishButton.addEventListener('click', async () => {
    actionError.textContent = '';
    publishButton.disabled = true;
    try {
      let job = await api(`/models/${encode(key)}/publish` + query({ version: state.latest.version }), { method: 'POST' });
      progress.hidden = false;
      while (job.state === 'pending' || job.state === 'running') {
        progress.value = job.progress;
        progressText.textContent = `Re-scoring with v${job.version}: ${job.done} of ${job.total || '?'} (${Math.round(job.progress * 100)}%)`;
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = await api(`/jobs/${job.id}`);
      }
      progress.value = job.progress;
      if (job.state === 'completed') {
        progress.value = 1;
        progressText.textContent = `Published v${job.version}: re-scored ${job.done} of ${job.total} records.`;
        state.published = { ...state.latest, status: 'published' };
        forgetModels();
        state.latest = state.published;
        state.effect = undefined;
        app.status(`Published ${key} v${job.version}.`);
      } else {
        progressText.textContent = `The re-score job ended ${job.state} after ${job.done} of ${job.total}.`;
      }
    } catch (e) {
      actionError.textContent = e.message;
    }
    updateButtons();
  });

  backtestButton.addEventListener('click', () => runBacktest());

  // Replays the draft as it is now beside the published version; when the text is the saved draft, what
  // it does to the MQL and SQL lists is also said beside Publish, so nobody publishes it blind.
  async function runBacktest() {
    const since = backtestPeriod.value;
    const text = state.text;
    backtestButton.disabled = true;
    backtestError.replaceChildren();
    backtestResult.setAttribute('aria-busy', 'true');
    backtestStatus.textContent = `Replaying the draft and the published version over the last ${since.replace('d', '')} days…`;
    try {
      const result = await api(`/models/${encode(key)}/backtest` + query({ since }), { method: 'POST', body: state.text, signal });
      replace(backtestResult, backtestView(result, { draftName: 'Draft', modelKey: key }));
      if (normalise(text) === normalise(state.saved)) {
        state.effect = { text: listsSummary(result), emptiesAList: (result.lists ?? []).some(unreachable) };
      }
      updateButtons();
      const gain = result.draft.auc - result.published.auc;
      backtestStatus.textContent = `Backtest done: AUC ${result.published.auc.toFixed(3)} published, ${result.draft.auc.toFixed(3)} draft `
        + `(${gain >= 0 ? '+' : '−'}${Math.abs(gain).toFixed(3)}).`;
    } catch (e) {
      if (e.name === 'AbortError') return;
      backtestResult.replaceChildren();
      backtestStatus.textContent = '';
      const why = e.status === 422 ? 'The draft is not a valid model, so it cannot be replayed: '
        : e.status === 409 ? 'There is no published version to compare with: '
          : e.status === 400 ? 'The server refused the draft: ' : 'The backtest failed: ';
      const errors = Array.isArray(e.problem?.errors) ? e.problem.errors : [];
      replace(backtestError, h('div.error-box', h('strong', why), e.message,
        errors.length ? h('ul', errors.map((m) => h('li', typeof m === 'string' ? m : [h('code.path', m.path), ` ${m.message}`]))) : null));
    } finally {
      backtestResult.removeAttribute('aria-busy');
      backtestButton.disabled = false;
    }
  }

  renderSplit();
  renderTables();
  updateButtons();
  await validate();
  // A saved draft waiting to be published (one the review saved, say) is backtested at once.
  if (state.latest.status === 'draft' && state.published) await runBacktest();
}

function pretty(definition) {
  return JSON.stringify(definition, null, 2);
}

function normalise(text) {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** A one-line reading of a rule's condition, for the table (the JSON has the whole of it). */
function conditionText(rule) {
  if (rule.event) {
    const e = rule.event;
    const parts = [`event ${e.type ?? '?'}`];
    if (e.where) parts.push(`where ${whenText(e.where)}`);
    if (e.within) parts.push(`within ${e.within}`);
    if (e.count) parts.push(`count ${JSON.stringify(e.count)}`);
    if (rule.per === 'occurrence') parts.push(`each, max ${rule.maxPoints ?? '?'}`);
    if (rule.decay) parts.push(rule.decay.halfLife ? `half-life ${rule.decay.halfLife}` : `expires ${rule.decay.expiresAfter}`);
    return parts.join(' ');
  }
  return rule.when ? whenText(rule.when) : '—';
}

function whenText(c) {
  if (!c || typeof c !== 'object') return String(c);
  if (c.all) return c.all.map(whenText).join(' and ');
  if (c.any) return '(' + c.any.map(whenText).join(' or ') + ')';
  if (c.not) return `not ${whenText(c.not)}`;
  const op = Object.keys(c).find((k) => k !== 'field');
  return `${c.field} ${op} ${JSON.stringify(c[op])}`;
}
