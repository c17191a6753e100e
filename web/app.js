// Entry point: sign in with a pasted token, then the screen for the token's
// role. One WebSocket (live.js) per signed-in page, shared by the screens.
import * as api from './api.js';
import { Live } from './live.js';
import { h, form, field } from './ui.js';
import * as mentor from './screens/mentor.js';
import * as mentee from './screens/mentee.js';
import * as admin from './screens/admin.js';
import * as auditor from './screens/auditor.js';

const kScreens = { mentor, mentee, admin, auditor };
const kStorageKey = 'mentorlog.token';
const main = document.getElementById('main');
const liveStatus = document.getElementById('live-status');
let live = null;
let unmount = () => {};

// The claims of a JWT, unverified (the server verifies; this only picks the screen).
function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch {
    return null;
  }
}

// A socket that keeps failing may mean the token expired (a browser hides the
// handshake's 401): ask over HTTP, at most every 5 s, and sign out if so.
let lastTokenCheck = 0;
function checkToken() {
  if (Date.now() - lastTokenCheck < 5000) return;
  lastTokenCheck = Date.now();
  api.get('/v1/openapi.json').catch((e) => {
    if (e.status === 401) signOut('Your token has expired or is no longer valid; sign in again.');
  });
}

function setLiveState(state) {
  if (state === 'reconnecting' && live) checkToken();
  liveStatus.dataset.state = state;
  liveStatus.textContent = { live: 'live', connecting: 'connecting…',
    reconnecting: 'reconnecting…', closed: 'offline' }[state] || state;
}

function signInScreen(notice = '') {
  const f = form('sign-in', async (el) => {
    const token = el.elements.token.value.trim();
    const c = claims(token);
    if (!c || !kScreens[c.role]) {
      return api.showError(el, new api.ApiError(400, 'invalid_argument',
          'paste the whole token that `mentorlog demo` or `mentorlog token` printed', 'token'));
    }
    api.setToken(token);
    const ok = await api.submit(el, () => api.get('/v1/openapi.json'));
    if (!ok) return;
    localStorage.setItem(kStorageKey, token);
    start(token);
  },
  field('Token', 'token', { multiline: true, rows: 4, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'eyJhbGciOi…' }),
  h('button', { type: 'submit' }, 'Sign in'));
  main.replaceChildren(h('section', { class: 'panel sign-in' },
      h('h2', {}, 'Sign in'),
      notice ? h('p', { class: 'form-error', role: 'alert' }, notice) : '',
      h('p', {}, 'Paste a token: ', h('code', {}, 'mentorlog demo'), ' prints one per role, and ',
          h('code', {}, 'mentorlog token --sub ID --role ROLE'), ' mints more.'),
      f));
  f.elements.token.focus();
}

function start(token) {
  const c = claims(token);
  api.setToken(token);
  document.getElementById('who').textContent = `${c.sub} · ${c.role}`;
  document.getElementById('sign-out').hidden = false;
  document.body.dataset.role = c.role;
  live = new Live(token, setLiveState);
  unmount = kScreens[c.role].mount({ main, live, sub: c.sub, role: c.role }) || (() => {});
}

function signOut(notice = '') {
  unmount();
  unmount = () => {};
  if (live) live.close();
  live = null;
  localStorage.removeItem(kStorageKey);
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  delete document.body.dataset.role;
  setLiveState('closed');
  signInScreen(typeof notice === 'string' ? notice : '');
}

document.getElementById('sign-out').addEventListener('click', signOut);

const saved = localStorage.getItem(kStorageKey);
const c = saved && claims(saved);
if (c && kScreens[c.role] && (!c.exp || c.exp * 1000 > Date.now())) start(saved);
else signInScreen();
