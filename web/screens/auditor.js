// Auditor: the event log with filters, each page's hash chain checked in the
// browser, and the verify status of the chain head, re-checked as events arrive.
import * as api from '../api.js';
import { feed } from '../feed.js';
import { h, section, table, form, field, values, fmtTime } from '../ui.js';

// RFC 8785 canonical JSON for what event data holds (strings, integers,
// booleans, null, arrays, objects): keys sorted by UTF-16 code units, and
// JSON.stringify for scalars, which is how RFC 8785 defines them.
export function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// SHA-256 (lowercase hex) of the envelope without `hash`; null where the
// browser has no WebCrypto (pages not served from localhost or https).
async function recomputeHash(event) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  const { hash, ...rest } = event;
  void hash;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical(rest)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function mount({ main, live }) {
  const stops = [];
  const log = table('events', ['#', 'Time', 'Stream', 'Type', 'Actor', 'Hash', 'Chain']);
  let rows = [];
  let next = 0;
  let query = {};

  const filters = form('event-filters', (f) => {
    const v = values(f);
    query = { after: v.after, limit: v.limit, stream: v.stream, type: v.type, actor: v.actor,
      from_time: v.from_time ? new Date(v.from_time + 'Z').toISOString() : '',
      to_time: v.to_time ? new Date(v.to_time + 'Z').toISOString() : '' };
    rows = [];
    load(f);
  },
  field('After position', 'after', { type: 'number', min: 0, value: '0' }),
  field('Limit', 'limit', { type: 'number', min: 1, max: 1000, value: '100' }),
  field('Stream', 'stream', { placeholder: 'meeting-MT-1' }),
  field('Type', 'type', { placeholder: 'MeetingScheduled' }),
  field('Actor', 'actor', { placeholder: 'M-1' }),
  field('From (UTC)', 'from_time', { type: 'datetime-local' }),
  field('To (UTC)', 'to_time', { type: 'datetime-local' }),
  h('button', { type: 'submit' }, 'Show'));
  const more = h('button', { type: 'button', class: 'secondary', hidden: true,
    onclick: () => load(filters, next) }, 'Load more');

  async function load(f, after) {
    const r = await api.submit(f, () => api.get('/v1/events', { ...query, after: after ?? query.after }),
        (r) => `${r.events.length} events; the log's head is #${r.head}.`);
    if (!r) return;
    const checked = await Promise.all(r.events.map(async (e) => [e, await recomputeHash(e)]));
    const previous = rows.length ? rows[rows.length - 1][0] : null;
    rows = rows.concat(checked);
    next = r.scanned_to;
    more.hidden = r.scanned_to >= r.head;
    render(previous);
  }

  function render() {
    log.rows(rows.map(([e, recomputed], i) => {
      const before = i > 0 ? rows[i - 1][0] : null;
      const linked = before && before.position + 1 === e.position ? before.hash === e.prev_hash : null;
      const ok = recomputed === null ? null : recomputed === e.hash;
      const verdict = ok === false || linked === false ? '✗ broken' : ok ? '✓' : '?';
      return h('tr', { dataset: { position: e.position, type: e.type } },
          h('td', { class: 'num' }, e.position), h('td', {}, fmtTime(e.time)), h('td', {}, e.stream),
          h('td', {}, e.type), h('td', {}, `${e.actor.id} (${e.actor.role})`),
          h('td', { class: 'hash', title: e.hash }, e.hash.slice(0, 12) + '…'),
          h('td', { class: ok === false || linked === false ? 'bad' : 'good' }, verdict));
    }), 'No events match.');
  }

  // The chain head: recompute its hash and check it links to the one before.
  const head = h('div', { id: 'chain-head', dataset: { status: 'checking' } }, 'Checking…');
  let pending = null;
  async function verifyHead() {
    try {
      const top = await api.get('/v1/audit/head');
      if (top.position === 0) {
        head.dataset.status = 'empty';
        return head.replaceChildren('The log is empty.');
      }
      const r = await api.get('/v1/events', { after: Math.max(0, top.position - 2), limit: 2 });
      const last = r.events[r.events.length - 1];
      const before = r.events.length === 2 ? r.events[0] : null;
      const recomputed = await recomputeHash(last);
      const ok = last.position === top.position && last.hash === top.hash &&
        (recomputed === null || recomputed === top.hash) &&
        (!before || before.hash === last.prev_hash);
      head.dataset.status = ok ? (recomputed === null ? 'linked' : 'verified') : 'broken';
      head.dataset.position = top.position;
      head.replaceChildren(
          h('p', { class: ok ? 'good' : 'bad' }, ok
            ? `Head #${top.position} ${recomputed === null ? 'links to the event before it (this browser cannot recompute SHA-256 here)' : 'verified: its hash recomputes and links to the event before it'}.`
            : `Head #${top.position} does NOT verify: the log or the server is not telling the truth.`),
          h('p', {}, 'Hash ', h('code', {}, top.hash), ` at ${fmtTime(top.time)}. Keep it to prove this prefix later with `,
              h('code', {}, `mentorlog verify --anchor ${top.position}:${top.hash}`), '.'));
    } catch (e) {
      head.dataset.status = 'error';
      head.replaceChildren(h('p', { class: 'form-error' }, api.describe(e)));
    }
  }
  function scheduleVerify() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; verifyHead(); }, 300);
  }

  const activity = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  api.get('/v1/audit/head').then((top) => {
    const f = feed(live, { after: top.position });
    stops.push(f.stop);
    stops.push(live.subscribe({ after: top.position, onEvent: scheduleVerify }));
    activity.replaceChildren(f.el);
  }, (e) => activity.replaceChildren(h('p', { class: 'form-error' }, api.describe(e))));
  verifyHead();
  query = { after: 0, limit: 100 };
  load(filters);

  main.replaceChildren(h('div', { class: 'screen auditor' },
      section('Chain head', head),
      section('Event log', filters, log.el, more),
      section('New events', activity)));
  return () => { clearTimeout(pending); stops.forEach((s) => s()); };
}
