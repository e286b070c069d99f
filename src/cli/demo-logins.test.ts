import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// `dost start` as an operator runs it: the real binary, on PGlite in a temporary data directory.
const bin = path.resolve(import.meta.dirname, '../../bin/dost.mjs');
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const dataDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dost-demo-'));
  dirs.push(d);
  // A stand-in web build, so that start does not build the web app each time.
  mkdirSync(path.join(d, 'web'));
  writeFileSync(path.join(d, 'web', 'index.html'), '<!doctype html><title>dost</title>');
  return d;
};

/** Starts dost, waits until it has served its first readiness answer, stops it; returns what it printed. */
async function startOnce(dir: string, args: string[] = [], extra: Record<string, string> = {}): Promise<string> {
  const env = { ...process.env, DOST_DATA_DIR: dir, DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'info', DOST_WEB_DIST: path.join(dir, 'web'), ...extra };
  const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--demo-citizens', '40', ...args], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 120_000);
    const look = setInterval(() => {
      const m = /"listen":"(http:\/\/[^"]+)"/.exec(out);
      if (m) { clearTimeout(timer); clearInterval(look); resolve(m[1]!); }
    }, 50);
    void exited.then(() => { clearTimeout(timer); clearInterval(look); reject(new Error(`exited: ${out}`)); });
  });
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  await new Promise((r) => setTimeout(r, 300)); // whatever start prints after listening
  child.kill('SIGTERM');
  assert.equal(await exited, 0, out);
  return out;
}

const passwordRow = /admin\s+admin\s+(\S{8,})/;

test('demo passwords are printed at the start that creates them, never at a later start; the file is 0600', async () => {
  const dir = dataDir();
  const first = await startOnce(dir);
  const printed = passwordRow.exec(first)?.[1];
  assert.ok(printed, `the first start prints the demo logins:\n${first}`);
  const file = path.join(dir, 'demo-logins.json');
  assert.match(first, /demo-logins\.json/, 'and says where they are kept');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { username: string; password: string }[];
  assert.equal(stored.find((l) => l.username === 'admin')?.password, printed);
  const second = await startOnce(dir);
  assert.doesNotMatch(second, passwordRow, 'a later start does not print them');
  assert.ok(!second.includes(printed), 'the password appears nowhere in the output of a later start');
});

test('in production and with --no-demo no demo password is printed', async () => {
  const prodDir = dataDir();
  const prod = await startOnce(prodDir, [], { NODE_ENV: 'production', PUBLIC_URL: 'https://dost.example.az' });
  assert.doesNotMatch(prod, passwordRow);
  const stored = JSON.parse(readFileSync(path.join(prodDir, 'demo-logins.json'), 'utf8')) as { password: string }[];
  for (const l of stored) assert.ok(!prod.includes(l.password), 'no demo password in the production output');
  assert.match(prod, /demo-logins\.json/, 'production names the file instead');
  const noDemo = await startOnce(dataDir(), ['--no-demo']);
  assert.doesNotMatch(noDemo, passwordRow);
});
