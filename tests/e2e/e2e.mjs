// End-to-end test of the web client (web/) in Debian's chromium, headless,
// against the real `mentorlog serve` with demo data:
//   node e2e.mjs --binary BUILD/app/mentorlog [--artifacts DIR]
// A mentor and a mentee in two browser contexts: scheduling shows up on the
// mentee's page without reload, accepting on the mentor's, a leave approval
// leaves the pending list, errors land next to their field, and after the
// mentee's connection is cut (a TCP proxy between the page and the server drops
// every socket) and restored the page ends with exactly the right rows; an
// admin rebuilds a projection and an auditor sees the chain head verified.
// Screenshots of each step go to the artefact dir. Exit 0 on success; 1 with
// the first mismatch on stderr.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const binary = path.resolve(args.binary || path.join(repo, 'build/release/app/mentorlog'));
const artefacts = path.resolve(args.artifacts || path.join(repo, 'build/e2e-artifacts'));
const chromiumPath = args.chromium || '/usr/bin/chromium';
const kWait = 15000;

const kMentor = 'M-1';
const kMentee = 'S-2026-001';
const kChromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mentorlog-e2e-'));
const env = { ...process.env, MENTORLOG_SECRET: randomBytes(24).toString('hex') };
for (const k of ['MENTORLOG_DATA', 'MENTORLOG_LISTEN', 'MENTORLOG_WEB_ROOT']) delete env[k];
let server = null;
let browser = null;
let proxy = null;
let step = 0;
const started = Date.now();

function log(message) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

class Mismatch extends Error {}
function expect(condition, message) {
  if (!condition) throw new Mismatch(message);
}
function sameList(actual, expected, what) {
  expect(JSON.stringify(actual) === JSON.stringify(expected),
      `${what}: expected ${JSON.stringify(expected)}, page shows ${JSON.stringify(actual)}`);
}

// Kills the server on every way out, including an exception or a signal.
function killServer() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
}
process.on('exit', killServer);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killServer();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  });
}

function startServer(data) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(path.join(artefacts, 'server.log'));
    server = spawn(binary, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--web-root',
      path.join(repo, 'web')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${seen}`)), 60000);
    server.stderr.pipe(out);
    server.stdout.on('data', (chunk) => {
      out.write(chunk);
      if (seen === null) return;
      seen += chunk;
      const m = /mentorlog serving on http:\/\/127\.0\.0\.1:(\d+) /.exec(seen);
      if (m) {
        seen = null;
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal})`));
    });
  });
}

// A TCP proxy in front of the server for the mentee's page: drop() cuts every
// connection through it and refuses new ones until restore().
function startProxy(target) {
  const sockets = new Set();
  let refusing = false;
  const srv = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    port: srv.address().port,
    drop() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  })));
}

function mentorlog(...cli) {
  return execFileSync(binary, cli, { env, encoding: 'utf8' }).trim();
}

async function apiGet(port, token, target) {
  const r = await fetch(`http://127.0.0.1:${port}${target}`, {
    headers: { Authorization: `Bearer ${token}` } });
  const body = await r.json();
  expect(r.ok, `GET ${target}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

async function shot(page, name) {
  const file = path.join(artefacts, `${String(++step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

async function signIn(context, url, token, who) {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${who}: ${m.text()}`); });
  await page.goto(url);
  await page.fill('#sign-in textarea[name=token]', token);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#live-status[data-state=live]', { timeout: kWait });
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => { window.e2eNoReload = 'still here'; });
  return page;
}

async function noReload(page, who) {
  expect(await page.evaluate(() => window.e2eNoReload) === 'still here',
      `${who}'s page was reloaded`);
}

// "YYYY-MM-DDTHH:MM" (a datetime-local value, read as UTC) `days` from today at `hour`.
function at(days, hour, minute = 0) {
  const d = new Date();
  d.setUTCHours(hour, minute, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 16);
}
function dateIn(days) {
  return at(days, 0).slice(0, 10);
}

async function schedule(page, id, title, days, hour) {
  const form = page.locator('#schedule-meeting');
  await form.locator('[name=meeting_id]').fill(id);
  await form.locator('[name=student_ids]').selectOption(kMentee);
  await form.locator('[name=title]').fill(title);
  await form.locator('[name=start]').fill(at(days, hour));
  await form.locator('[name=end]').fill(at(days, hour, 30));
  await form.locator('button[type=submit]').click();
  await form.locator('.form-status', { hasText: 'Meeting proposed' }).waitFor({ timeout: kWait });
}

const pageErrors = [];
const consoleErrors = [];

async function main() {
  fs.mkdirSync(artefacts, { recursive: true });
  for (const f of fs.readdirSync(artefacts)) {
    if (f.endsWith('.png') || f === 'server.log') fs.rmSync(path.join(artefacts, f));
  }
  expect(fs.existsSync(binary), `no mentorlog binary at ${binary}; build it first`);
  expect(fs.existsSync(chromiumPath), `no chromium at ${chromiumPath}; run scripts/setup.sh`);
  const data = path.join(tmp, 'data');
  log(mentorlog('demo', '--data', data).split('\n')[0]);
  const token = (sub, role) => mentorlog('token', '--data', data, '--sub', sub, '--role', role);
  const mentorToken = token(kMentor, 'mentor');
  const menteeToken = token(kMentee, 'mentee');
  const auditorToken = token('AU-1', 'auditor');

  const port = await startServer(data);
  proxy = await startProxy(port);
  log(`server on ${port}, the mentee's proxy on ${proxy.port}`);

  // Playwright gives each launch a fresh, empty profile (--user-data-dir) under
  // the temp dir; keep it inside ours so it goes with it.
  process.env.TMPDIR = fs.mkdtempSync(path.join(tmp, 'browser-'));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
    args: kChromiumFlags });
  const viewport = { width: 1280, height: 900 };
  const mentor = await signIn(await browser.newContext({ viewport }),
      `http://127.0.0.1:${port}/`, mentorToken, 'mentor');
  const mentee = await signIn(await browser.newContext({ viewport }),
      `http://127.0.0.1:${proxy.port}/`, menteeToken, 'mentee');
  await mentor.waitForSelector(`#my-mentees tr[data-student-id="${kMentee}"]`, { timeout: kWait });
  await mentee.waitForSelector('#feed[data-after]', { state: 'attached', timeout: kWait });
  await mentee.waitForSelector('#timeline > li', { timeout: kWait });
  const feedAfter = Number(await mentee.getAttribute('#feed', 'data-after'));
  await shot(mentor, 'mentor-signed-in');
  await shot(mentee, 'mentee-signed-in');
  log('signed in: mentor and mentee pages live');

  // 1. The mentor schedules; the mentee's page shows it without reload.
  await schedule(mentor, 'MT-E2E-1', 'E2E check-in', 30, 15);
  await mentee.waitForSelector('#my-meetings tr[data-meeting-id="MT-E2E-1"][data-status=proposed]',
      { timeout: kWait });
  await mentee.waitForSelector('#timeline li[data-meeting-id="MT-E2E-1"][data-type=MeetingScheduled]',
      { timeout: kWait });
  await noReload(mentee, 'mentee');
  await shot(mentor, 'mentor-scheduled');
  await shot(mentee, 'mentee-sees-meeting');
  log('scheduled MT-E2E-1; the mentee page shows it live');

  // 2. The mentee accepts; the mentor's page updates.
  await mentee.locator('#my-meetings tr[data-meeting-id="MT-E2E-1"] button[value=accept]').click();
  await mentor.waitForSelector('#meetings tr[data-meeting-id="MT-E2E-1"][data-status=accepted]',
      { timeout: kWait });
  await mentee.waitForSelector('#my-meetings tr[data-meeting-id="MT-E2E-1"][data-status=accepted]',
      { timeout: kWait });
  await noReload(mentor, 'mentor');
  await shot(mentee, 'mentee-accepted');
  await shot(mentor, 'mentor-sees-accepted');
  log('the mentee accepted; the mentor page shows it live');

  // 2b. The mentor records an observation on an earlier meeting with the
  // mentee, and acknowledges another mentee's alert; the mentee's timeline shows
  // the observation's action items live; the alert leaves the open list.
  await mentor.locator('#meetings tr[data-meeting-id="MT-1"] button').click();
  const observe = mentor.locator('#record-observation');
  expect(await observe.locator('[name=meeting_id]').inputValue() === 'MT-1',
      'Observe did not fill in the meeting');
  await observe.locator('[name=points_for_mentee]').fill('Attendance is recovering.');
  await observe.locator('[name=observations]').fill('Came prepared; lab backlog remains.');
  await observe.locator('[name=next_action_items]').fill('Finish lab 4\nMeet the CS301 faculty');
  await observe.locator('button[type=submit]').click();
  await observe.locator('.form-status', { hasText: 'Observation recorded' }).waitFor({ timeout: kWait });
  const observed = mentee.locator('#timeline li[data-type=ObservationRecorded][data-meeting-id="MT-1"]')
    .filter({ hasText: 'Finish lab 4' });
  await observed.waitFor({ timeout: kWait });
  sameList(await observed.first().locator('.action-items li').allTextContents(),
      ['Finish lab 4', 'Meet the CS301 faculty'], 'action items on the mentee timeline');
  const alertRow = mentor.locator('#open-alerts tr[data-alert-id]').filter({ hasText: 'S-2026-008' })
    .first();
  const alertId = await alertRow.getAttribute('data-alert-id');
  await alertRow.locator('[name=action]').selectOption('contacted_guardian');
  await alertRow.locator('button[type=submit]').click();
  await mentor.waitForSelector(`#open-alerts tr[data-alert-id="${alertId}"]`,
      { state: 'detached', timeout: kWait });
  await shot(mentee, 'mentee-sees-observation');
  await shot(mentor, 'mentor-observed-and-acknowledged');
  log(`observation on MT-1 shown live to the mentee; ${alertId} acknowledged`);

  // 3. Errors in plain words next to their field: end before start, then a
  // double booking (the same slot), which names no field and shows on the form.
  const form = mentor.locator('#schedule-meeting');
  await form.locator('[name=meeting_id]').fill('MT-E2E-BAD');
  await form.locator('[name=title]').fill('Backwards');
  await form.locator('[name=start]').fill(at(31, 10));
  await form.locator('[name=end]').fill(at(31, 9));
  await form.locator('button[type=submit]').click();
  const endError = form.locator('.field-error[data-field=end]');
  await endError.waitFor({ timeout: kWait });
  expect(/after start/i.test(await endError.textContent()),
      `the end field's error says: ${await endError.textContent()}`);
  expect(await form.locator('[name=end]').getAttribute('aria-invalid') === 'true',
      'the end field is not marked invalid');
  await shot(mentor, 'mentor-field-error');
  await form.locator('[name=start]').fill(at(30, 15));
  await form.locator('[name=end]').fill(at(30, 15, 30));
  await form.locator('button[type=submit]').click();
  const general = form.locator('.form-error', { hasText: 'already has a meeting' });
  await general.waitFor({ timeout: kWait });
  expect(await form.locator('.field-error').count() === 0, 'a stale field error is still shown');
  await shot(mentor, 'mentor-double-booking-error');
  log('errors shown next to the field (end) and on the form (double booking)');

  // 4. The mentee requests leave; it appears in the mentor's pending list; the
  // approval moves it out, leaving exactly the demo's other pending request.
  const leave = mentee.locator('#request-leave');
  await leave.locator('[name=leave_id]').fill('LV-E2E-1');
  await leave.locator('[name=from_date]').fill(dateIn(40));
  await leave.locator('[name=to_date]').fill(dateIn(41));
  await leave.locator('[name=reason]').fill('Sister\'s wedding');
  await leave.locator('button[type=submit]').click();
  const pendingRow = mentor.locator('#pending-leave tr[data-leave-id="LV-E2E-1"]');
  await pendingRow.waitFor({ timeout: kWait });
  sameList(await mentor.locator('#pending-leave tr[data-leave-id]').evaluateAll(
      (rows) => rows.map((r) => r.dataset.leaveId).sort()), ['LV-2', 'LV-E2E-1'], 'pending leave');
  await shot(mentor, 'mentor-pending-leave');
  await pendingRow.locator('[name=remark]').fill('Approved; catch up on the lab.');
  await pendingRow.locator('button[value=approve]').click();
  await pendingRow.waitFor({ state: 'detached', timeout: kWait });
  sameList(await mentor.locator('#pending-leave tr[data-leave-id]').evaluateAll(
      (rows) => rows.map((r) => r.dataset.leaveId)), ['LV-2'], 'pending leave after approval');
  await mentee.waitForSelector('#my-leave tr[data-leave-id="LV-E2E-1"][data-status=approved]',
      { timeout: kWait });
  await shot(mentor, 'mentor-leave-approved');
  await shot(mentee, 'mentee-leave-approved');
  log('leave LV-E2E-1 approved and gone from the pending list');

  // 5. The mentee's connection drops; meanwhile the mentor schedules two more.
  proxy.drop();
  await mentee.waitForSelector('#live-status[data-state=reconnecting]', { timeout: kWait });
  await shot(mentee, 'mentee-disconnected');
  await schedule(mentor, 'MT-E2E-2', 'While offline (1)', 32, 11);
  await schedule(mentor, 'MT-E2E-3', 'While offline (2)', 33, 11);
  await mentee.waitForTimeout(1500);  // a few refused reconnects
  expect(await mentee.locator('#my-meetings tr[data-meeting-id="MT-E2E-2"]').count() === 0,
      'the mentee page updated while its connection was down');
  log('connection dropped; MT-E2E-2 and MT-E2E-3 scheduled meanwhile');
  proxy.restore();
  await mentee.waitForSelector('#live-status[data-state=live]', { timeout: kWait });
  for (const id of ['MT-E2E-2', 'MT-E2E-3']) {
    await mentee.waitForSelector(`#my-meetings tr[data-meeting-id="${id}"]`, { timeout: kWait });
    await mentee.waitForSelector(`#timeline li[data-meeting-id="${id}"]`, { timeout: kWait });
    await mentee.waitForSelector(`#feed li[data-type=MeetingScheduled]`, { timeout: kWait });
  }
  await noReload(mentee, 'mentee');
  log('restored: the page caught up without reload');

  // Exactly the right rows: the feed holds every event about the mentee since
  // the page opened, once each; the timeline and meetings equal the server's views.
  const head = (await apiGet(port, auditorToken, '/v1/audit/head')).position;
  const events = (await apiGet(port, auditorToken, `/v1/events?after=${feedAfter}&limit=1000`)).events;
  const ours = new Set(['meeting-MT-1', 'meeting-MT-E2E-1', 'meeting-MT-E2E-2', 'meeting-MT-E2E-3',
    'leave-LV-E2E-1']);
  const expectedFeed = events.filter((e) => ours.has(e.stream) || e.data.student_id === kMentee ||
      (e.data.student_ids || []).includes(kMentee)).map((e) => e.position).sort((a, b) => b - a);
  await mentee.waitForFunction((n) => document.querySelectorAll('#feed > li').length >= n,
      expectedFeed.length, { timeout: kWait });
  await mentee.waitForTimeout(300);  // anything doubled would have arrived by now
  sameList(await mentee.locator('#feed > li').evaluateAll(
      (rows) => rows.map((r) => Number(r.dataset.position))), expectedFeed, 'live activity rows');
  const timeline = await apiGet(port, menteeToken,
      `/v1/views/mentee-timeline/${kMentee}?limit=100&min_position=${head}`);
  await mentee.waitForFunction((n) => document.querySelectorAll('#timeline > li').length === n,
      timeline.data.items.length, { timeout: kWait });
  sameList(await mentee.locator('#timeline > li').evaluateAll(
      (rows) => rows.map((r) => Number(r.dataset.position))),
      timeline.data.items.map((e) => e.position), 'timeline rows');
  const meetings = await apiGet(port, menteeToken,
      `/v1/views/meetings?student=${kMentee}&limit=200&min_position=${head}`);
  sameList(await mentee.locator('#my-meetings tr[data-meeting-id]').evaluateAll(
      (rows) => rows.map((r) => `${r.dataset.meetingId}:${r.dataset.status}`).sort()),
      meetings.data.items.map((m) => `${m.meeting_id}:${m.status}`).sort(), 'meeting rows');
  await shot(mentee, 'mentee-after-reconnect');
  await shot(mentor, 'mentor-final');
  log(`exact rows after reconnect: ${expectedFeed.length} live events, ` +
      `${timeline.data.items.length} timeline entries, ${meetings.data.items.length} meetings`);

  // 6. The admin rebuilds a projection and sees it finish; the auditor sees
  // the chain head verified in the browser, at the log's head.
  const admin = await signIn(await browser.newContext({ viewport }), `http://127.0.0.1:${port}/`,
      token('A-1', 'admin'), 'admin');
  await admin.waitForSelector('#mentor-load tr[data-mentor-id="M-1"]', { timeout: kWait });
  await admin.locator('#projections tr[data-projection="mentee-timeline"] button').click();
  await admin.waitForSelector('#projections tr[data-projection="mentee-timeline"][data-state=running] .done',
      { timeout: kWait });
  await shot(admin, 'admin-rebuilt');
  const auditor = await signIn(await browser.newContext({ viewport }), `http://127.0.0.1:${port}/`,
      auditorToken, 'auditor');
  await auditor.waitForSelector(`#chain-head[data-status=verified][data-position="${head}"]`,
      { timeout: kWait });
  await auditor.waitForSelector('#events tr[data-position="100"]', { timeout: kWait });
  expect(await auditor.locator('#events td.bad').count() === 0, 'the auditor page shows a broken link');
  await shot(auditor, 'auditor-head-verified');
  log('admin rebuilt mentee-timeline; auditor verified the chain head');

  expect(pageErrors.length === 0, `errors in the pages: ${pageErrors.join('; ')}`);
  // The only console errors allowed: the two refused commands of step 3, and
  // the mentee's refused connections while cut off.
  const unexpected = consoleErrors.filter((e) =>
    !/^mentor: Failed to load resource: .* status of (400|409)/.test(e) &&
    !/^mentee: .*(WebSocket|net::ERR_)/.test(e));
  expect(unexpected.length === 0, `console errors: ${unexpected.join('; ')}`);
}

let status = 0;
try {
  await main();
  log(`PASS (screenshots in ${artefacts})`);
} catch (error) {
  status = 1;
  console.error(`[e2e] FAIL: ${error instanceof Mismatch ? error.message : error.stack || error}`);
  if (browser) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        await page.screenshot({ path: path.join(artefacts, `failure-${++step}.png`), fullPage: true })
          .catch(() => {});
      }
    }
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (proxy) proxy.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
    killServer();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
