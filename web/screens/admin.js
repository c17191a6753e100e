// Admin: mentor load, and projection status with a rebuild button and its progress.
import * as api from '../api.js';
import { h, section, table } from '../ui.js';

export function mount({ main, live }) {
  const stops = [];
  const load = table('mentor-load', ['Mentor', 'Mentees / capacity', 'Next 7 days', 'Last 30 days',
    'Hours (30 days)', 'Pending validations', 'Overdue follow-ups', 'Pending leave']);
  stops.push(live.watch({
    view: 'mentor-load', params: { limit: '1000' },
    onView(data) {
      load.rows(data.items.map((m) => h('tr', { dataset: { mentorId: m.mentor_id } },
          h('td', {}, m.name || m.mentor_id, h('div', { class: 'muted' }, m.mentor_id)),
          h('td', { class: 'num' }, h('meter', { min: 0, max: m.capacity, value: m.mentees }),
              ` ${m.mentees} / ${m.capacity}`),
          h('td', { class: 'num' }, m.meetings_next_7_days),
          h('td', { class: 'num' }, m.meetings_last_30_days),
          h('td', { class: 'num' }, m.hours_last_30_days),
          h('td', { class: 'num' }, m.pending_validations),
          h('td', { class: 'num' }, m.overdue_follow_ups),
          h('td', { class: 'num' }, m.pending_leave_decisions))),
      'No mentors registered.');
    },
  }));

  const projections = table('projections', ['Projection', 'Version', 'Position', 'Lag', 'State',
    'Rebuild']);
  const message = h('p', { class: 'form-error', role: 'alert' });
  let timer = 0;
  let stopped = false;
  const requested = new Set();  // rebuilds started from this page
  async function refresh() {
    clearTimeout(timer);
    let rebuilding = false;
    try {
      const r = await api.get('/v1/admin/projections');
      message.textContent = '';
      projections.rows(r.projections.map((p) => {
        if (p.state === 'rebuilding') rebuilding = true;
        return h('tr', { dataset: { projection: p.name, state: p.state } },
            h('td', {}, p.name), h('td', { class: 'num' }, p.version),
            h('td', { class: 'num' }, `${p.position} / ${p.head}`), h('td', { class: 'num' }, p.lag),
            h('td', { class: 'status' }, p.state), h('td', {}, progress(p)));
      }));
    } catch (e) {
      message.textContent = api.describe(e);
    }
    if (!stopped) timer = setTimeout(refresh, rebuilding ? 500 : 3000);
  }
  function progress(p) {
    const r = p.rebuild;
    if (p.state === 'rebuilding' && r) {
      const total = Math.max(1, r.total || 1);
      return h('span', {}, h('progress', { max: total, value: r.position || 0 }),
          ` ${Math.floor(100 * (r.position || 0) / total)} % · ${Math.round(r.events_per_second || 0)} events/s`);
    }
    const error = r && r.error ? h('span', { class: 'form-error' }, ` last rebuild failed: ${r.error}`) : '';
    const done = requested.has(p.name) && p.state === 'running' && !error
      ? h('span', { class: 'good done' }, ` ✓ rebuilt, serving at #${p.position}`) : '';
    return h('span', {}, h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try {
        await api.post(`/v1/admin/projections/${encodeURIComponent(p.name)}/rebuild`);
        requested.add(p.name);
      } catch (e) {
        message.textContent = api.describe(e);
      }
      refresh();
    } }, 'Rebuild'), done, error);
  }
  refresh();
  stops.push(() => { stopped = true; clearTimeout(timer); });

  main.replaceChildren(h('div', { class: 'screen admin' },
      section('Mentor load', load.el),
      section('Projections', message, projections.el)));
  return () => stops.forEach((s) => s());
}
