// Every call to the server goes through here: same-origin, with the header that marks the dashboard's
// own requests (the server refuses cookie-authenticated writes without it), and problem+json errors
// turned into ApiError with the server's detail.

export const CSRF_HEADER = 'X-LeadScore-Dashboard';

export class ApiError extends Error {
  constructor(status, detail, problem) {
    super(detail);
    this.status = status;
    this.problem = problem ?? {};
  }
}

async function call(url, { method = 'GET', body, signal } = {}) {
  const headers = { [CSRF_HEADER]: '1', Accept: 'application/json' };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin', signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached; check that it is running.', {});
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = (data && data.detail) || (data && data.title) || `${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, detail, typeof data === 'object' ? data : {});
    if (response.status === 401) window.dispatchEvent(new CustomEvent('leadscore:unauthorized', { detail: error }));
    throw error;
  }
  return data;
}

/** Calls /api/v1{path}. */
export const api = (path, options) => call('/api/v1' + path, options);

/** Calls the dashboard's own session endpoints. */
export const session = {
  current: () => call('/dashboard/session'),
  signIn: (key) => call('/dashboard/session', { method: 'POST', body: { key } }),
  signOut: () => call('/dashboard/session', { method: 'DELETE' }),
};

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
