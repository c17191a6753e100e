// "Live activity": the events a screen's subscription receives, newest first,
// one row per log position. After a dropped connection the subscription
// resumes after the last position it saw (live.js), so the rows stay exact.
import { h, fmtTime, summarise } from './ui.js';

const kMaxRows = 200;

export function feed(live, { after, filter = {} }) {
  const list = h('ol', { class: 'feed', id: 'feed', dataset: { after } });
  const status = h('p', { class: 'feed-status' }, 'Loading…');
  const stop = live.subscribe({
    after,
    filter,
    onEvent(event) {
      list.prepend(h('li', { dataset: { position: event.position, type: event.type } },
          h('span', { class: 'pos' }, `#${event.position}`), ' ',
          h('time', {}, fmtTime(event.time)), ' ', summarise(event)));
      while (list.children.length > kMaxRows) list.lastChild.remove();
    },
    onCaughtUp(position) {
      status.textContent = `Up to date with the log at #${position}; new events appear here.`;
    },
    onError(error) {
      status.textContent = `Live updates refused: ${error.message}`;
    },
  });
  return { el: h('div', {}, status, list), stop };
}
