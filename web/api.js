// The HTTP half of the client: GET views and logs, POST commands, and API
// errors turned into plain words next to the field they concern.

let token = '';

export function setToken(value) {
  token = value;
}

// An error answer of API.md: {"error": {code, message, field?}} and its status.
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached; check the connection.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const e = (json && json.error) || {};
    throw new ApiError(response.status, e.code || 'http_' + response.status,
        e.message || response.statusText, e.field);
  }
  return json;
}

// GET `path` with query `params` (undefined and '' values left out).
export function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  }
  const qs = query.toString();
  return call('GET', qs ? `${path}?${qs}` : path);
}

// GET /v1/views/{view}[/{key}]: resolves to {view, key?, position, data}.
export function view(name, key, params = {}) {
  const path = `/v1/views/${encodeURIComponent(name)}` + (key ? `/${encodeURIComponent(key)}` : '');
  return get(path, params);
}

// POST /v1/commands/{name}: resolves to {command_id, position, events}.
export function command(name, body) {
  return call('POST', `/v1/commands/${encodeURIComponent(name)}`, body);
}

export function post(path) {
  return call('POST', path);
}

const kPlainWords = {
  invalid_json: 'The request was not valid JSON.',
  unauthenticated: 'Your token is missing, expired or not valid. Sign in again.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'That does not exist.',
  conflict: 'This clashes with something that already exists.',
  double_booking: 'Someone in this meeting already has a meeting at that time.',
  invalid_state: 'This cannot be done in its current state or at this time.',
  version_mismatch: 'Someone else changed this first; reload and try again.',
  unavailable: 'The server cannot do this right now; try again shortly.',
  network: 'The server cannot be reached; check the connection.',
};

// What to show the user for `error`: a short plain sentence, then the server's detail.
export function describe(error) {
  if (!(error instanceof ApiError)) return String(error && error.message || error);
  const plain = kPlainWords[error.code];
  if (error.code === 'invalid_argument') {
    // The decoder's messages are about the field they sit next to ("must be after start").
    if (error.message === 'missing field') return 'This is required.';
    return capitalise(error.message) + '.';
  }
  return plain ? `${plain} (${error.message})` : error.message;
}

function capitalise(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// Clears the errors shown in `form`.
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = form.querySelector('.form-error');
  if (general) general.textContent = '';
}

// Shows `error` next to the input its `field` names (`entries[2].status` ->
// the input named `entries`), or at the top of the form when no input matches.
export function showError(form, error) {
  clearErrors(form);
  const text = describe(error);
  const name = error instanceof ApiError && error.field ? error.field.split(/[.[]/)[0] : '';
  const input = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const note = document.createElement('span');
    note.className = 'field-error';
    note.dataset.field = error.field;
    note.textContent = text;
    input.insertAdjacentElement('afterend', note);
    input.focus();
    return;
  }
  let general = form.querySelector('.form-error');
  if (!general) {
    general = document.createElement('p');
    general.className = 'form-error';
    form.prepend(general);
  }
  general.textContent = text;
}

// Runs `action` for a form submit: disables the form while it runs, shows an
// error next to its field, or `ok(result)` as a short confirmation.
export async function submit(form, action, ok) {
  clearErrors(form);
  const status = form.querySelector('.form-status');
  if (status) status.textContent = '';
  form.setAttribute('aria-busy', 'true');
  try {
    const result = await action();
    if (status && ok) status.textContent = ok(result);
    return result;
  } catch (error) {
    showError(form, error);
    return null;
  } finally {
    form.removeAttribute('aria-busy');
  }
}
