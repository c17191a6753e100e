// Pieces more than one screen shows: a mentee's timeline, a row's inline action form.
import * as api from '../api.js';
import { h, fmtTime, summarise } from '../ui.js';

// The mentee-timeline view of `studentId`, kept current by a watch. Returns
// {el, stop}.
export function timeline(live, studentId) {
  const list = h('ol', { class: 'timeline', id: 'timeline', dataset: { student: studentId } });
  const status = h('p', { class: 'muted' }, 'Loading…');
  const stop = live.watch({
    view: 'mentee-timeline',
    key: studentId,
    params: { limit: '100' },
    onView(data, position) {
      status.textContent = `${data.total} entries, as of log position #${position}.`;
      list.replaceChildren(...data.items.map(entry));
    },
    onError(error) {
      status.textContent = api.describe(new api.ApiError(0, error.code, error.message));
    },
  });
  return { el: h('div', {}, status, list), stop };
}

function entry(e) {
  const d = e.data || {};
  const li = h('li', { dataset: { position: e.position, type: e.type, meetingId: d.meeting_id,
    leaveId: d.leave_id } },
  h('time', {}, fmtTime(e.time)), ' ', h('strong', {}, summarise(e)));
  if (e.type === 'ObservationRecorded') {
    if (d.observations) li.append(h('p', {}, d.observations));
    const items = d.next_action_items || [];
    if (items.length) {
      li.append(h('ul', { class: 'action-items' },
          items.map((item) => h('li', {}, typeof item === 'string' ? item : JSON.stringify(item)))));
    }
    if (d.next_follow_up_date) li.append(h('p', { class: 'muted' }, `Follow up by ${d.next_follow_up_date}`));
  }
  return li;
}

// A small form inside a table row: `children` inputs and buttons; `onSubmit(form,
// button value)` runs the command through api.submit so errors land in the row.
export function rowForm(attrs, onSubmit, ...children) {
  const f = h('form', { class: 'row-form', novalidate: true, ...attrs }, ...children,
      h('output', { class: 'form-status' }));
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(f, event.submitter ? event.submitter.value : '');
  });
  return f;
}

// Runs `make()` (a command promise) for `formEl`, with a confirmation.
export function run(formEl, make, done = 'Saved.') {
  return api.submit(formEl, make, (r) => `${done} (#${r.position})`);
}
