import { api } from '../api.js';
import { encode } from '../dom.js';

export async function loadModels(signal) {
  return (await api('/models', { signal })).models;
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
