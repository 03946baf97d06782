import { api } from '../api.js';
import { encode } from '../dom.js';

// The model list, kept a few seconds: the leads page re-renders on every filter change, and an answer
// from memory lets it redraw its form before the next keystroke arrives.
let models = null;
let modelsAt = 0;

/** The models; <fresh> asks the server again, otherwise an answer of the last 10 s may do. */
export async function loadModels({ fresh = true } = {}) {
  if (fresh || !models || Date.now() - modelsAt > 10_000) {
    modelsAt = Date.now();
    models = api('/models').then((answer) => answer.models);
    models.catch(() => { models = null; });
  }
  return models;
}

/** Forgets the model list (after a save or a publish). */
export function forgetModels() {
  models = null;
}

const definitions = new Map();

/** A model version's definition; versions never change once saved, so they are kept. */
export async function loadDefinition(key, version, signal) {
  const id = `${key}@${version}`;
  if (!definitions.has(id)) {
    const answer = await api(`/models/${encode(key)}/versions/${version}`, { signal });
    definitions.set(id, answer.definition);
  }
  return definitions.get(id);
}
