#!/usr/bin/env node
// cdp-send.mjs: send a list of Segment-spec calls through a REAL customer-data-platform client
// library, so that the .NET tests can check our Segment-compatible endpoints (POST /v1/batch at the
// server root, HTTP Basic auth with the write key as user name and an empty password) against what
// those libraries really put on the wire, including their batching and retries.
//
//   node tests/tools/cdp-send.mjs --client segment|rudderstack --host http://127.0.0.1:PORT \
//        --write-key KEY --messages FILE.json [--max-retries N] [--timeout-ms N]
//        [--flush-at N] [--flush-interval-ms N] [--retry-delay-ms N] [--gzip on|off]
//
// FILE.json is a JSON array of calls, sent in order, e.g.
//   [{"type":"identify","userId":"u1","anonymousId":"a1","traits":{"email":"a@b.c"},
//     "messageId":"m1","timestamp":"2026-12-01T10:00:00Z","context":{"ip":"1.2.3.4"}},
//    {"type":"track","userId":"u1","event":"Demo Requested","properties":{"plan":"pro"}},
//    {"type":"page","userId":"u1","name":"Pricing","properties":{}},
//    {"type":"screen","userId":"u1","name":"Home"},
//    {"type":"group","userId":"u1","groupId":"g1","traits":{"name":"Acme"}},
//    {"type":"alias","previousId":"a1","userId":"u1"}]
//
// Clients (exact versions are locked in package.json beside this file; `npm ci` here installs them):
//   segment      @segment/analytics-node 3.1.0       new Analytics({ writeKey, host, path, ... })
//   rudderstack  @rudderstack/rudder-sdk-node 3.0.13 new Analytics(writeKey, { dataPlaneUrl, ... })
// Both run with their default in-memory queue; nothing here needs Redis.
//
// Options:
//   --max-retries N        retries after the first attempt of a batch (default 3). Segment: maxRetries
//                          (backoff 1-2 s, 2-4 s, 4-8 s, ... capped at 60 s); RudderStack: retryCount
//                          (axios-retry exponential delay 200, 400, 800 ms, ... +0-20%; 0 = no retry).
//   --timeout-ms N         overall deadline (default 60000); when reached: exit 2.
//   --flush-at N           messages per batch (library defaults: Segment 15, RudderStack 20).
//   --flush-interval-ms N  flush a partial batch after this long (library defaults: 10000 ms both;
//                          this tool flushes explicitly once every call is made anyway).
//   --retry-delay-ms N     RudderStack only: a fixed delay between retries instead of its exponential
//                          one (axiosRetryConfig.retryDelay). Segment's backoff cannot be configured.
//   --gzip on|off          RudderStack only: gzip the body (library default on). Segment never gzips.
//
// Output: exactly ONE JSON line on stdout, at the end (everything the libraries log goes to stderr,
// and so does one line per HTTP attempt, for the tests' failure messages):
//   {"client":"segment","total":6,"sent":6,"failed":0,"requests":1,"errors":[]}
//   sent     = messages the server accepted (Segment: any 2xx/3xx answer; RudderStack: any 2xx)
//   failed   = messages finally given up on: rejected by the library's own validation, answered
//              with a non-retried status (400, other 4xx), or still failing when retries ran out
//   requests = HTTP attempts made (retries included)
//   errors   = distinct error texts, at most 20
// Exit codes: 0 = every message delivered; 1 = at least one message failed, or bad arguments or
// messages file (then the line has "sent":0 and the reason in "errors"); 2 = the overall deadline
// passed with messages still pending (the line then has "timedOut":true and "pending":N).

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

// stdout carries only our one result line: the libraries log through console.log/info/debug
// (RudderStack's logger writes info to console.info), so send all of that to stderr.
console.log = console.info = console.debug = (...args) => console.error(...args);

const started = Date.now();
const result = { client: null, total: 0, sent: 0, failed: 0, requests: 0, errors: [] };
let finished = false;

// Print the result line once and exit with `code`; later calls (e.g. the deadline racing the last
// callback) are ignored. process.exit ends the process even while the libraries still hold
// keep-alive sockets or timers.
function finish(code, extra = {}) {
  if (finished) return;
  finished = true;
  const line = JSON.stringify({ ...result, ...extra }) + '\n';
  process.stdout.write(line, () => process.exit(code));
}

function addError(text) {
  if (result.errors.length < 20 && !result.errors.includes(text)) result.errors.push(text);
}

// A readable text for any error the libraries hand back: fetch's "fetch failed" hides the socket
// error in `cause`; axios errors carry the HTTP status or the socket error code.
function describe(err) {
  if (err == null) return 'unknown error';
  if (typeof err !== 'object') return String(err);
  let text = err.message || String(err);
  const status = err.response?.status;
  if (status && !text.includes(String(status))) text += ` (HTTP ${status})`;
  const code = err.cause?.code ?? err.code;
  if (code && !text.includes(code)) text += ` (${code})`;
  return text;
}

function log(text) {
  console.error(`[cdp-send +${Date.now() - started}ms] ${text}`);
}

// ---- arguments --------------------------------------------------------------------------------
let opts;
try {
  const { values } = parseArgs({
    options: {
      client: { type: 'string' },
      host: { type: 'string' },
      'write-key': { type: 'string' },
      messages: { type: 'string' },
      'max-retries': { type: 'string', default: '3' },
      'timeout-ms': { type: 'string', default: '60000' },
      'flush-at': { type: 'string' },
      'flush-interval-ms': { type: 'string' },
      'retry-delay-ms': { type: 'string' },
      gzip: { type: 'string' },
    },
    strict: true,
  });
  const int = (name, min) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  opts = {
    client: values.client,
    host: values.host,
    writeKey: values['write-key'],
    messagesFile: values.messages,
    maxRetries: int('max-retries', 0),
    timeoutMs: int('timeout-ms', 1),
    flushAt: int('flush-at', 1),
    flushIntervalMs: int('flush-interval-ms', 1),
    retryDelayMs: int('retry-delay-ms', 0),
    gzip: values.gzip,
  };
  result.client = opts.client ?? null;
  if (!['segment', 'rudderstack'].includes(opts.client)) throw new Error('--client must be segment or rudderstack');
  if (!opts.host || !/^https?:\/\//.test(opts.host)) throw new Error('--host must be an http(s) URL, e.g. http://127.0.0.1:5000');
  if (!opts.writeKey) throw new Error('--write-key is required');
  if (!opts.messagesFile) throw new Error('--messages FILE.json is required');
  if (opts.gzip !== undefined && !['on', 'off'].includes(opts.gzip)) throw new Error('--gzip must be on or off');
} catch (err) {
  addError(`usage: ${err.message}`);
  finish(1);
}

// ---- the deadline: this tool must never hang ----------------------------------------------------
// Not unref'd, on purpose: it is what ends the process if a library never calls back.
if (!finished) {
  setTimeout(() => {
    const pending = result.total - result.sent - result.failed;
    addError(`timeout: ${opts.timeoutMs} ms passed with ${pending} of ${result.total} messages neither delivered nor failed`);
    finish(2, { timedOut: true, pending });
  }, opts.timeoutMs);
}

// ---- the messages -----------------------------------------------------------------------------
const TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'];
let messages = [];
if (!finished) {
  try {
    messages = JSON.parse(await readFile(opts.messagesFile, 'utf8'));
    if (!Array.isArray(messages)) throw new Error('the messages file must hold a JSON array');
    messages.forEach((m, i) => {
      if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`message ${i} is not an object`);
      if (!TYPES.includes(m.type)) throw new Error(`message ${i} has type ${JSON.stringify(m.type)}; expected one of ${TYPES.join(', ')}`);
    });
  } catch (err) {
    addError(`messages file ${opts.messagesFile}: ${err.message}`);
    finish(1);
  }
}
result.total = messages.length;

// Each message settles exactly once, through the library's per-call callback (or at once, when
// the library rejects the call itself); when all have settled, the run is over.
let settled = 0;
let allSettled;
const whenAllSettled = new Promise((resolve) => { allSettled = resolve; });
function settle(index, err) {
  if (err) {
    result.failed++;
    addError(describe(err));
    log(`message ${index} (${messages[index].messageId ?? messages[index].type}) failed: ${describe(err)}`);
  } else {
    result.sent++;
  }
  if (++settled === messages.length) allSettled();
}
function settleOnce(index) {
  let done = false;
  return (err) => { if (!done) { done = true; settle(index, err); } };
}

// ---- Segment: @segment/analytics-node ----------------------------------------------------------
// Source: node_modules/@segment/analytics-node/src/app/analytics-node.ts (the calls, flush),
// src/plugins/segmentio/publisher.ts (batching, headers, retries), src/app/settings.ts (options).
async function runSegment() {
  const { Analytics } = await import('@segment/analytics-node');
  const analytics = new Analytics({
    writeKey: opts.writeKey,
    host: opts.host,           // URL = new URL(path, host): any path in --host is replaced by `path`
    path: '/v1/batch',
    maxRetries: opts.maxRetries,
    ...(opts.flushAt !== undefined ? { flushAt: opts.flushAt } : {}),
    ...(opts.flushIntervalMs !== undefined ? { flushInterval: opts.flushIntervalMs } : {}),
  });
  // One event per HTTP attempt (retries included), and one per HTTP answer; a network error
  // has no http_response, it shows in the message callbacks instead.
  analytics.on('http_request', (req) => {
    result.requests++;
    const retry = req.headers['X-Retry-Count'];
    log(`segment ${req.method} ${req.url} (${JSON.parse(req.body).batch.length} messages${retry ? `, retry ${retry}` : ''})`);
  });
  analytics.on('http_response', (res) => log(`segment answer ${res.status} ${res.statusText}`));
  analytics.on('error', (e) => log(`segment error event ${e.code}: ${describe(e.reason)}`));

  messages.forEach((m, i) => {
    const { type, ...fields } = m;
    const done = settleOnce(i);
    // Every call takes one object with the Segment fields (userId, anonymousId, traits/properties,
    // event, name, category, groupId, previousId, context, integrations, messageId, timestamp);
    // the library picks the ones its call knows and ignores the rest. timestamp may be a string
    // (sent as given) or a Date. The callback gets (err, ctx) once the batch holding the message
    // was delivered or finally failed.
    try {
      analytics[type](fields, (err) => done(err));
    } catch (err) {
      // The event factory throws synchronously on invalid input (no userId/anonymousId, ...).
      done(err);
    }
  });
  // closeAndFlush sends the partial batch now; its own timeout (after which the library aborts the
  // batches) is set past ours, so that our deadline decides.
  await analytics.closeAndFlush({ timeout: opts.timeoutMs + 1000 });
}

// ---- RudderStack: @rudderstack/rudder-sdk-node -------------------------------------------------
// Source: node_modules/@rudderstack/rudder-sdk-node/cjs/index.js (constructor options, enqueue,
// flush, _isErrorRetryable) and node_modules/axios-retry/dist/cjs/index.js (the retry loop).
async function runRudderStack() {
  const { default: Analytics } = await import('@rudderstack/rudder-sdk-node');
  const analytics = new Analytics(opts.writeKey, {
    dataPlaneUrl: opts.host,   // URL = dataPlaneUrl + path, trailing slashes removed
    path: '/v1/batch',
    // retryCount 0 turns axios-retry off; otherwise it retries network errors, 5xx and 429.
    retryCount: opts.maxRetries,
    axiosRetryConfig: {
      ...(opts.retryDelayMs !== undefined ? { retryDelay: () => opts.retryDelayMs } : {}),
      onRetry: (n, err) => log(`rudderstack retry ${n} after: ${describe(err)}`),
    },
    // Without an errorHandler a failed flush rejects a promise nobody awaits (the first message
    // is flushed from inside track()), which would crash node; with one, the per-message
    // callbacks still get the error.
    errorHandler: () => {},
    ...(opts.gzip !== undefined ? { gzip: opts.gzip === 'on' } : {}),
    ...(opts.flushAt !== undefined ? { flushAt: opts.flushAt } : {}),
    ...(opts.flushIntervalMs !== undefined ? { flushInterval: opts.flushIntervalMs } : {}),
    logLevel: 'error',
    // No createPersistenceQueue(): the default queue is in memory; only that optional call
    // needs the optional "bull" package and a Redis server.
  });
  // Count HTTP attempts: axios-retry re-sends through the same instance, so every retry passes
  // this request interceptor too.
  analytics.axiosInstance.interceptors.request.use((config) => {
    result.requests++;
    log(`rudderstack ${config.method?.toUpperCase()} ${config.url}`);
    return config;
  });

  messages.forEach((m, i) => {
    const { type, ...fields } = m;
    const done = settleOnce(i);
    // The message object is cloned and sent as is, plus the library's own fields. Its
    // validation wants `timestamp` to be a Date (a string is refused), so convert a valid
    // date string; an invalid one is passed on as it is, for the library to refuse.
    if (typeof fields.timestamp === 'string' && !Number.isNaN(Date.parse(fields.timestamp))) {
      fields.timestamp = new Date(fields.timestamp);
    }
    try {
      analytics[type](fields, (err) => done(err));
    } catch (err) {
      // loosely-validate-event throws synchronously (no userId/anonymousId, no event, ...).
      done(err);
    }
  });
  // One flush() sends at most flushAt messages, after any flush in flight: repeat until the
  // queue is empty, then the callbacks tell the outcome.
  do {
    await analytics.flush();
  } while (analytics.queue.length > 0);
}

// ---- run ----------------------------------------------------------------------------------------
if (!finished) {
  try {
    if (messages.length === 0) allSettled();
    else if (opts.client === 'segment') await runSegment();
    else await runRudderStack();
    await whenAllSettled;
    finish(result.failed === 0 ? 0 : 1);
  } catch (err) {
    const hint = err?.code === 'ERR_MODULE_NOT_FOUND' ? " (run 'npm ci' in tests/tools)" : '';
    addError(`cdp-send: ${describe(err)}${hint}`);
    result.failed = result.total - result.sent;
    finish(1);
  }
}
