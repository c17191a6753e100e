// The WebSocket half of the client: one connection to /v1/ws per signed-in
// page, shared by every open screen. Subscriptions survive a dropped
// connection: on reconnect each event subscription asks again with `after` =
// the last position it saw, and every event at or below that position is
// dropped, so rows are neither missed nor doubled. Watches are sent again and
// answered with the whole current view.

const kBackoffMs = [250, 500, 1000, 2000, 4000];

export class Live {
  // `onState(state)` hears 'connecting' | 'live' | 'reconnecting' | 'closed'.
  constructor(token, onState = () => {}) {
    this.token = token;
    this.onState = onState;
    this.subs = new Map();
    this.attempt = 0;
    this.closed = false;
    this.nextId = 1;
    this.connect('connecting');
  }

  connect(state) {
    this.onState(state);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    // Browsers cannot set Authorization on a WebSocket; API.md allows the query.
    const url = `${scheme}://${location.host}/v1/ws?access_token=${encodeURIComponent(this.token)}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onState('live');
      for (const sub of this.subs.values()) this.send(sub);
    };
    ws.onmessage = (message) => this.dispatch(JSON.parse(message.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      if (this.closed) return this.onState('closed');
      this.onState('reconnecting');
      const delay = kBackoffMs[Math.min(this.attempt++, kBackoffMs.length - 1)];
      this.timer = setTimeout(() => this.connect('reconnecting'), delay);
    };
  }

  send(sub) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;  // sent again on open
    const message = sub.watch
      ? { op: 'watch', id: sub.id, view: sub.view, key: sub.key, params: sub.params }
      : { op: 'subscribe', id: sub.id, after: sub.last, filter: sub.filter };
    this.ws.send(JSON.stringify(message));
  }

  dispatch(message) {
    const sub = this.subs.get(message.sub);
    if (!sub) return;
    if (message.op === 'event') {
      const position = message.event.position;
      if (position <= sub.last) return;  // already seen (before a reconnect)
      sub.last = position;
      sub.onEvent(message.event);
    } else if (message.op === 'caught_up') {
      sub.onCaughtUp(message.position);
    } else if (message.op === 'view') {
      if (message.position < sub.position) return;  // never go back in time
      sub.position = message.position;
      sub.onView(message.data, message.position);
    } else if (message.op === 'error') {
      sub.onError(message.error);
    }
  }

  // Events after `after` matching `filter` (API.md), history first, then live.
  // Returns a function that ends the subscription.
  subscribe({ filter = {}, after = 0, onEvent, onCaughtUp = () => {}, onError = () => {} }) {
    const sub = { id: `s${this.nextId++}`, filter, last: after, onEvent, onCaughtUp, onError };
    return this.add(sub);
  }

  // The view `view`[/`key`] now and after every change: onView(data, position).
  watch({ view, key, params = {}, onView, onError = () => {} }) {
    const sub = { id: `w${this.nextId++}`, watch: true, view, key, params, position: 0, onView,
      onError };
    return this.add(sub);
  }

  add(sub) {
    this.subs.set(sub.id, sub);
    this.send(sub);
    return () => {
      this.subs.delete(sub.id);
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(JSON.stringify({ op: 'unsubscribe', id: sub.id }));
      }
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }
}
