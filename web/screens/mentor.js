// Mentor: my mentees, pending leave, open alerts, meetings; schedule a meeting,
// record an observation, a mentee's timeline; live activity.
import * as api from '../api.js';
import { feed } from '../feed.js';
import { h, section, table, form, field, values, fmtTime, fmtPct, toRfc3339, localIn, newId }
  from '../ui.js';
import { timeline, rowForm, run } from './shared.js';

export function mount({ main, live, sub }) {
  const stops = [];
  const selectedPanel = h('div', { id: 'selected-mentee' },
      h('p', { class: 'muted' }, 'Choose a mentee above to see their timeline.'));
  let stopTimeline = () => {};

  // My mentees.
  const mentees = table('my-mentees', ['Student', 'Roll no.', 'Attendance', 'Alert',
    'Next follow-up', 'Pending leave', 'Open items', 'Last meeting']);
  const studentSelect = h('select', { name: 'student_ids' });
  stops.push(live.watch({
    view: 'my-mentees', params: { limit: '200' },
    onView(data) {
      mentees.rows(data.items.map((m) => h('tr', { dataset: { studentId: m.student_id } },
          h('td', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); select(m); } },
              m.name), h('div', { class: 'muted' }, m.student_id)),
          h('td', {}, m.roll_number),
          h('td', { class: 'num' }, fmtPct(m.attendance_percentage)),
          h('td', { class: m.alert_level ? `alert alert-${m.alert_level}` : '' },
              m.alert_level ? `below ${m.alert_level} %` : '—'),
          h('td', {}, m.next_follow_up_date || '—'),
          h('td', { class: 'num' }, m.pending_leaves),
          h('td', { class: 'num' }, m.open_action_items),
          h('td', {}, m.last_meeting ? `${fmtTime(m.last_meeting.start)} (${m.last_meeting.status})` : '—'))),
      'No mentees are assigned to you yet.');
      const chosen = studentSelect.value;
      studentSelect.replaceChildren(...data.items.map((m) =>
        h('option', { value: m.student_id }, `${m.name} (${m.student_id})`)));
      if (chosen) studentSelect.value = chosen;
    },
  }));

  function select(m) {
    stopTimeline();
    const t = timeline(live, m.student_id);
    stopTimeline = t.stop;
    selectedPanel.replaceChildren(h('h3', {}, `Timeline of ${m.name} (${m.student_id})`), t.el);
    studentSelect.value = m.student_id;
  }

  // Pending leave: approve or reject with a remark.
  const leaves = table('pending-leave', ['Leave', 'Student', 'Dates', 'Reason', 'Decision']);
  stops.push(live.watch({
    view: 'leaves', params: { status: 'pending', limit: '200' },
    onView(data) {
      leaves.rows(data.items.map((l) => h('tr', { dataset: { leaveId: l.leave_id } },
          h('td', {}, `${l.leave_id} (${l.kind === 'on_duty' ? 'on duty' : 'leave'})`),
          h('td', {}, l.student_id),
          h('td', {}, `${l.from_date} – ${l.to_date}`),
          h('td', {}, l.reason),
          h('td', {}, rowForm({ dataset: { leaveId: l.leave_id } }, (f, how) => run(f, () =>
            api.command(how === 'reject' ? 'RejectLeave' : 'ApproveLeave',
                { leave_id: l.leave_id, remark: f.elements.remark.value || undefined }),
          how === 'reject' ? 'Rejected.' : 'Approved.'),
          h('input', { name: 'remark', placeholder: 'Remark (required to reject)' }),
          h('button', { type: 'submit', value: 'approve' }, 'Approve'),
          h('button', { type: 'submit', value: 'reject', class: 'secondary' }, 'Reject'))))),
      'No leave is waiting for your decision.');
    },
  }));

  // Open alerts: acknowledge with the action taken.
  const alerts = table('open-alerts', ['Alert', 'Student', 'Level', 'Raised', 'Acknowledge']);
  stops.push(live.watch({
    view: 'alerts', params: { status: 'open', limit: '200' },
    onView(data) {
      alerts.rows(data.items.map((a) => h('tr', { dataset: { alertId: a.alert_id } },
          h('td', {}, a.alert_id),
          h('td', {}, a.student_id),
          h('td', { class: `alert alert-${a.level}` }, `below ${a.level} % (${fmtPct(a.percentage)})`),
          h('td', {}, fmtTime(a.raised_at)),
          h('td', {}, rowForm({ dataset: { alertId: a.alert_id } }, (f) => run(f, () =>
            api.command('AcknowledgeAlert', { alert_id: a.alert_id, action: f.elements.action.value,
              note: f.elements.note.value || undefined }), 'Acknowledged.'),
          h('select', { name: 'action' }, [['contacted_student', 'Contacted student'],
            ['contacted_guardian', 'Contacted guardian'], ['meeting_arranged', 'Meeting arranged'],
            ['referred', 'Referred']].map(([v, t]) => h('option', { value: v }, t))),
          h('input', { name: 'note', placeholder: 'Note (optional)' }),
          h('button', { type: 'submit' }, 'Acknowledge'))))),
      'No open alerts.');
    },
  }));

  // Meetings (newest first), with a shortcut to observe one.
  const meetings = table('meetings', ['Meeting', 'Title', 'Students', 'Start', 'Status', '']);
  const observe = form('record-observation', (f) => {
    const v = values(f);
    run(f, () => api.command('RecordObservation', {
      meeting_id: v.meeting_id,
      points_for_mentee: v.points_for_mentee,
      observations: v.observations,
      next_action_items: v.next_action_items.split('\n').map((s) => s.trim()).filter(Boolean),
      next_follow_up_date: v.next_follow_up_date || undefined,
    }), 'Observation recorded.');
  },
  field('Meeting id', 'meeting_id', { required: true }),
  field('Points for the mentee', 'points_for_mentee', { multiline: true }),
  field('Observations', 'observations', { multiline: true }),
  field('Next action items (one per line)', 'next_action_items', { multiline: true }),
  field('Next follow-up date', 'next_follow_up_date', { type: 'date' }),
  h('button', { type: 'submit' }, 'Record observation'));
  stops.push(live.watch({
    view: 'meetings', params: { limit: '200' },
    onView(data) {
      const items = [...data.items].sort((a, b) => b.start.localeCompare(a.start));
      meetings.rows(items.map((m) => h('tr', { dataset: { meetingId: m.meeting_id, status: m.status } },
          h('td', {}, m.meeting_id), h('td', {}, m.title), h('td', {}, m.student_ids.join(', ')),
          h('td', {}, fmtTime(m.start)), h('td', { class: 'status' }, m.status),
          h('td', {}, (m.status === 'accepted' || m.status === 'held') && Date.parse(m.start) <= Date.now()
            ? h('button', { type: 'button', class: 'secondary', onclick: () => {
              observe.elements.meeting_id.value = m.meeting_id;
              observe.elements.points_for_mentee.focus();
            } }, 'Observe') : ''))),
      'No meetings yet.');
    },
  }));

  // Schedule a meeting.
  const schedule = form('schedule-meeting', (f) => {
    const v = values(f);
    run(f, () => api.command('ScheduleMeeting', {
      meeting_id: v.meeting_id, mentor_id: sub, student_ids: [v.student_ids], title: v.title,
      mode: v.mode, location: v.location || undefined, start: toRfc3339(v.start),
      end: toRfc3339(v.end), description: v.description || undefined,
    }), 'Meeting proposed.').then((r) => { if (r) f.elements.meeting_id.value = newId('MT'); });
  },
  field('Meeting id', 'meeting_id', { value: newId('MT') }),
  h('label', {}, h('span', {}, 'Mentee'), studentSelect),
  field('Title', 'title', { placeholder: 'Check-in' }),
  field('Mode', 'mode', { options: [['online', 'Online'], ['offline', 'In person']] }),
  field('Location', 'location', { placeholder: 'Room or link (optional)' }),
  field('Start (UTC)', 'start', { type: 'datetime-local', value: localIn(24 * 60) }),
  field('End (UTC)', 'end', { type: 'datetime-local', value: localIn(24 * 60 + 30) }),
  field('Description', 'description', { multiline: true }),
  h('button', { type: 'submit' }, 'Schedule'));

  const activity = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  api.view('my-mentees', null, { limit: 1 }).then((r) => {
    const f = feed(live, { after: r.position });
    stops.push(f.stop);
    activity.replaceChildren(f.el);
  }, (e) => activity.replaceChildren(h('p', { class: 'form-error' }, api.describe(e))));

  main.replaceChildren(h('div', { class: 'screen mentor' },
      section('My mentees', mentees.el),
      section('Timeline', selectedPanel),
      section('Pending leave', leaves.el),
      section('Open alerts', alerts.el),
      section('Meetings', meetings.el),
      h('div', { class: 'columns' }, section('Schedule a meeting', schedule),
          section('Record an observation', observe)),
      section('Live activity', activity)));
  return () => { stopTimeline(); stops.forEach((s) => s()); };
}
