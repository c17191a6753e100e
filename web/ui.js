// Small DOM helpers shared by the screens.

// h('tr', {class: 'x', dataset: {id}}, child, ...): an element; strings become text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) el.dataset[dk] = dv;
    }
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// A titled panel of a screen.
export function section(title, ...children) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), ...children);
}

// A table with `columns` headings whose rows are replaced by `render(rows)`.
export function table(id, columns) {
  const body = h('tbody');
  const el = h('table', { id }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
      body);
  return {
    el,
    rows(rows, empty = 'Nothing here.') {
      body.replaceChildren(...(rows.length ? rows :
        [h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty))]));
    },
  };
}

// A labelled input; `name` is the command's field, so errors land next to it.
export function field(label, name, attrs = {}) {
  const input = attrs.options
    ? h('select', { name, ...attrs, options: undefined },
        attrs.options.map(([value, text]) => h('option', { value }, text)))
    : attrs.multiline
      ? h('textarea', { name, rows: 2, ...attrs, multiline: undefined })
      : h('input', { name, ...attrs });
  return h('label', {}, h('span', {}, label), input);
}

export function form(id, onSubmit, ...children) {
  const el = h('form', { id, novalidate: true }, h('p', { class: 'form-error', role: 'alert' }),
      ...children, h('output', { class: 'form-status' }));
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(el);
  });
  return el;
}

export function values(formEl) {
  return Object.fromEntries(new FormData(formEl).entries());
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function fmtPct(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(2)} %`;
}

// datetime-local value (read as UTC, the server's clock) -> RFC 3339.
export function toRfc3339(local) {
  return local ? new Date(local + 'Z').toISOString() : '';
}

// An RFC 3339 time `minutes` from now, as a datetime-local value in UTC.
export function localIn(minutes) {
  return new Date(Date.now() + minutes * 60000).toISOString().slice(0, 16);
}

export function newId(prefix) {
  return `${prefix}-W${Date.now().toString(36).toUpperCase()}`;
}

// One line in words for an event or timeline entry {type, data, actor}.
export function summarise(entry) {
  const d = entry.data || {};
  const who = entry.actor ? entry.actor.id : '';
  switch (entry.type) {
    case 'MeetingScheduled':
      return `${who} proposed “${d.title}” for ${fmtTime(d.start)}` +
        (d.status === 'accepted' ? ' (recorded as taken place)' : '');
    case 'MeetingAccepted': return `${who} accepted meeting ${d.meeting_id}`;
    case 'MeetingRescheduled': return `${who} moved ${d.meeting_id} to ${fmtTime(d.start)}`;
    case 'MeetingDeclined': return `${who} declined ${d.meeting_id}: ${d.reason || ''}`;
    case 'MeetingCancelled': return `${who} cancelled ${d.meeting_id}: ${d.reason || ''}`;
    case 'MeetingValidated':
      return `${who} said meeting ${d.meeting_id} ${d.occurred ? 'took place' : 'did not take place'}`;
    case 'MeetingConfirmed': return `Meeting ${d.meeting_id} confirmed as held`;
    case 'MeetingDisputed': return `Meeting ${d.meeting_id} disputed`;
    case 'ObservationRecorded':
      return `Observation on ${d.meeting_id}: ${d.points_for_mentee || d.observations || ''}`;
    case 'ActionItemCompleted': return `Action item ${d.item} of ${d.meeting_id} completed`;
    case 'LeaveRequested':
      return `${d.kind === 'on_duty' ? 'On-duty' : 'Leave'} ${d.leave_id} requested, ` +
        `${d.from_date} to ${d.to_date}: ${d.reason}`;
    case 'LeaveApproved': return `Leave ${d.leave_id} approved${d.remark ? ': ' + d.remark : ''}`;
    case 'LeaveRejected': return `Leave ${d.leave_id} rejected: ${d.remark || ''}`;
    case 'LeaveCancelled': return `Leave ${d.leave_id} cancelled`;
    case 'AttendanceAlertRaised':
      return `Attendance alert: below ${d.level} % (${d.percentage} %)`;
    case 'AlertAcknowledged': return `Alert ${d.alert_id} acknowledged: ${d.action}`;
    case 'MentorAssigned': return `Mentor ${d.mentor_id} assigned`;
    default: return entry.type;
  }
}
