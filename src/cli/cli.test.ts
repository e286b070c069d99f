import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// The commands a newcomer runs, as a newcomer runs them: the real binary in a child process,
// on an embedded database in a temporary data directory (these tests always use PGlite).
const bin = path.resolve(import.meta.dirname, '../../bin/dost.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'dost-cli-'));
const env = { ...process.env, DOST_DATA_DIR: dir, DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'warn', DOST_WEB_DIST: path.join(dir, 'no-web') };
const dost = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
after(() => rmSync(dir, { recursive: true, force: true }));

test('--help lists every command', () => {
  const r = dost(['--help']);
  assert.equal(r.status, 0);
  for (const c of ['start', 'migrate', 'seed', 'import', 'generate', 'users']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('a bad configuration value stops with the variable named', () => {
  const r = dost(['migrate'], { PORT: 'eighty' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /PORT/);
});

test('seed creates a demo population and one login per role, printed once: a second run names the file only', () => {
  const r = dost(['seed', '--citizens', '60', '--seed', '7']);
  assert.equal(r.status, 0, r.stderr);
  for (const role of ['citizen', 'operator', 'officer', 'center_manager', 'call_center_agent', 'analyst', 'admin']) assert.match(r.stdout, new RegExp(`${role}\\s+\\S+\\s+\\S{8,}`));
  const again = dost(['seed']);
  assert.equal(again.status, 0);
  assert.doesNotMatch(again.stdout, /admin\s+admin\s+\S{8,}/);
  assert.match(again.stdout, /demo-logins\.json/);
  assert.match(r.stdout, /\d+ demo applications/);
  const users = dost(['users', 'list']);
  assert.match(users.stdout, /officer/);
});

test('import refuses a CSV with a bad row, names the line, and imports nothing', () => {
  const csv = path.join(dir, 'bad.csv');
  writeFileSync(csv, 'fin,last_name,first_name,patronymic,birth_date,sex,district_code,address,phone,id_card_number\n'
    + '7KQ2M9A,Quliyev,Vüqar,Nizami oğlu,1979-05-20,M,BAK-YAS,,+994551234567,AA7654321\n'
    + 'IOIOIOI,Bad,Row,,1979-02-31,X,NOWHERE,,123,\n');
  const r = dost(['import', 'citizens', csv]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /line 3/);
  assert.match(r.stdout, /imported 0/);
  const ok = dost(['import', 'citizens', csv, '--skip-invalid']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /imported 1, rejected 1/);
  const missing = dost(['import', 'citizens', path.join(dir, 'nope.csv')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file/);
});

test('rules: list every rule, explain one for a citizen with the amount\'s sources, sweep with a summary', () => {
  const list = dost(['rules', 'list']);
  assert.equal(list.status, 0, list.stderr);
  for (const id of ['childbirth_allowance', 'child_disability_allowance', 'old_age_pension', 'targeted_social_assistance', 'unemployment_insurance']) assert.match(list.stdout, new RegExp(`^${id}@1 `, 'm'));
  assert.match(list.stdout, /child_disability_allowance_degree_1 = 2025-07-01: 270 \(unconfirmed\)/);
  // 7KQ2M9A (imported above) was born in 1979: too young for the old-age pension.
  const why = dost(['rules', 'explain', '7kq2m9a', 'old_age_pension', '--date', '2026-11-01']);
  assert.equal(why.status, 0, why.stderr);
  assert.match(why.stdout, /Old-age labour pension \[person\] on 2026-11-01: not_eligible/);
  assert.match(why.stdout, /✗ retirement_age: Has not reached pension age yet \(born 1979-05-20\)/);
  assert.match(why.stdout, /parameters retirement_age_months_men=780 \(from 2024-01-01; sources \[12\]\)/);
  assert.match(why.stdout, /^  = The amount is computed once every condition is met\n.*expected_pension_payment_months=144 \(from 2024-01-01; sources \[12\]; unconfirmed\)/m,
    'the amount step lists its own parameters');
  assert.match(why.stdout, /\[14\] Menafn: minimum pension 280 → 320 from February 2025 https:\/\/menafn\.com\/1109121241/);
  const unknown = dost(['rules', 'explain', '7KQ2M9A', 'moon_pension']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown benefit moon_pension/);
  const badFin = dost(['rules', 'explain', '7KQ2M9', 'old_age_pension']); // 6 characters: not a FIN, not "no citizen"
  assert.equal(badFin.status, 2);
  assert.match(badFin.stderr, /"7KQ2M9" is not a FIN/);
  const nobody = dost(['rules', 'explain', 'zzzzzz1', 'old_age_pension']);
  assert.equal(nobody.status, 2);
  assert.match(nobody.stderr, /no citizen with FIN ZZZZZZ1/);
  const sweep = dost(['rules', 'sweep', '--date', '2026-11-01']);
  assert.equal(sweep.status, 0, sweep.stderr);
  assert.match(sweep.stdout, /old_age_pension\s+evaluated \d+, eligible \d+/);
});

test('start serves, answers readiness, and shuts down cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--no-demo'], { env: { ...env, LOG_LEVEL: 'info' } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"listen":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', database: 'pglite' });
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
});
