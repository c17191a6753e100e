// Mentee: my meetings (accept, reschedule, validate), my timeline with
// observations and action items, request leave and see my requests; live activity.
import * as api from '../api.js';
import { feed } from '../feed.js';
import { h, section, table, form, field, values, fmtTime, toRfc3339, newId }
  from '../ui.js';
import { timeline, rowForm, run } from './shared.js';

export function mount({ main, live, sub }) {
  const stops = [];

  const meetings = table('my-meetings', ['Meeting', 'Title', 'Start', 'End', 'Status', 'Your answer']);
  stops.push(live.watch({
    view: 'meetings', params: { student: sub, limit: '200' },
    onView(data) {
      const items = [...data.items].sort((a, b) => b.start.localeCompare(a.start));
      meetings.rows(items.map((m) => h('tr', { dataset: { meetingId: m.meeting_id, status: m.status } },
          h('td', {}, m.meeting_id), h('td', {}, m.title), h('td', {}, fmtTime(m.start)),
          h('td', {}, fmtTime(m.end)), h('td', { class: 'status' }, m.status),
          h('td', {}, actions(m)))),
      'No meetings yet.');
    },
  }));

  function actions(m) {
    if (m.status === 'proposed') {
      return rowForm({ dataset: { meetingId: m.meeting_id } }, (f, how) => {
        if (how === 'accept') {
          return run(f, () => api.command('AcceptMeeting', { meeting_id: m.meeting_id }), 'Accepted.');
        }
        return run(f, () => api.command('RescheduleMeeting', { meeting_id: m.meeting_id,
          start: toRfc3339(f.elements.start.value), end: toRfc3339(f.elements.end.value),
          reason: f.elements.reason.value || undefined }), 'Proposed a new time.');
      },
      h('button', { type: 'submit', value: 'accept' }, 'Accept'),
      h('details', {}, h('summary', {}, 'Reschedule'),
          h('input', { name: 'start', type: 'datetime-local', value: m.start.slice(0, 16),
            'aria-label': 'New start (UTC)' }),
          h('input', { name: 'end', type: 'datetime-local', value: m.end.slice(0, 16),
            'aria-label': 'New end (UTC)' }),
          h('input', { name: 'reason', placeholder: 'Reason (optional)' }),
          h('button', { type: 'submit', value: 'reschedule', class: 'secondary' }, 'Propose this time')));
    }
    if (m.status === 'accepted' && Date.parse(m.end) <= Date.now()) {
      return rowForm({ dataset: { meetingId: m.meeting_id } }, (f, how) => run(f, () =>
        api.command('ValidateMeeting', { meeting_id: m.meeting_id, occurred: how === 'yes',
          note: f.elements.note.value || undefined }), 'Thank you.'),
      h('input', { name: 'note', placeholder: 'Note (optional)' }),
      h('button', { type: 'submit', value: 'yes' }, 'It took place'),
      h('button', { type: 'submit', value: 'no', class: 'secondary' }, 'It did not'));
    }
    return '';
  }

  const t = timeline(live, sub);
  stops.push(t.stop);

  const leaves = table('my-leave', ['Leave', 'Kind', 'Dates', 'Reason', 'Status', 'Remark']);
  stops.push(live.watch({
    view: 'leaves', params: { student: sub, limit: '200' },
    onView(data) {
      leaves.rows(data.items.map((l) => h('tr', { dataset: { leaveId: l.leave_id, status: l.status } },
          h('td', {}, l.leave_id), h('td', {}, l.kind === 'on_duty' ? 'on duty' : 'leave'),
          h('td', {}, `${l.from_date} – ${l.to_date}`), h('td', {}, l.reason),
          h('td', { class: 'status' }, l.status), h('td', {}, l.remark || ''))),
      'No leave requests.');
    },
  }));

  const today = new Date().toISOString().slice(0, 10);
  const request = form('request-leave', (f) => {
    const v = values(f);
    run(f, () => api.command('RequestLeave', { leave_id: v.leave_id, student_id: sub, kind: v.kind,
      from_date: v.from_date, to_date: v.to_date, reason: v.reason }), 'Requested.')
      .then((r) => { if (r) f.elements.leave_id.value = newId('LV'); });
  },
  field('Request id', 'leave_id', { value: newId('LV') }),
  field('Kind', 'kind', { options: [['leave', 'Leave'], ['on_duty', 'On duty']] }),
  field('From', 'from_date', { type: 'date', value: today }),
  field('To', 'to_date', { type: 'date', value: today }),
  field('Reason', 'reason', { multiline: true }),
  h('button', { type: 'submit' }, 'Request'));

  const activity = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  api.view('mentee-timeline', sub, { limit: 1 }).then((r) => {
    const f = feed(live, { after: r.position });
    stops.push(f.stop);
    activity.replaceChildren(f.el);
  }, (e) => activity.replaceChildren(h('p', { class: 'form-error' }, api.describe(e))));

  main.replaceChildren(h('div', { class: 'screen mentee' },
      section('My meetings', meetings.el),
      section('My timeline', t.el),
      h('div', { class: 'columns' }, section('Request leave', request),
          section('My leave requests', leaves.el)),
      section('Live activity', activity)));
  return () => stops.forEach((s) => s());
}
