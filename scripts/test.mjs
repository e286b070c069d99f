#!/usr/bin/env node
// The one test command (`npm test`): type check, unit and integration tests (real database:
// PGlite, or PostgreSQL when DATABASE_URL is set), then browser tests against the built web app.
// Prints a closing `N passed, N failed` line summed over every stage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const results = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function walk(dir, re, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) walk(p, re, out);
    else if (re.test(name)) out.push(p);
  }
  return out.sort();
}

function run(label, cmd, cmdArgs, env = {}) {
  process.stdout.write(`\n=== ${label}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) ok = false;
  return r.status === 0;
}

function runNodeTests(label, files, extraEnv = {}) {
  if (files.length === 0) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'dost-test-'));
  const tap = path.join(dir, 'report.tap');
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  run(label, process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { NODE_ENV: 'test', ...extraEnv });
  if (existsSync(tap)) {
    const text = readFileSync(tap, 'utf8');
    const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    results.passed += num('pass');
    results.failed += num('fail') + num('cancelled');
    results.skipped += num('skipped') + num('todo');
  } else {
    results.failed += 1;
  }
}

if (!args.has('--no-typecheck')) {
  if (!run('type check (server)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'])) results.failed += 1;
  if (existsSync('web/tsconfig.json') && !run('type check (web)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json', '--noEmit'])) results.failed += 1;
}

// Every app the tests build logs to one file, and the factories note every personal value they
// create; the log-leak check afterwards fails, as one failed test, if any value is in the log.
const leakDir = mkdtempSync(path.join(tmpdir(), 'dost-log-leak-'));
const leakEnv = { DOST_TEST_LOG_FILE: path.join(leakDir, 'test.log'), DOST_TEST_PII_FILE: path.join(leakDir, 'personal-values.txt') };
runNodeTests(`unit and integration tests (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite'})`, walk('src', /\.test\.ts$/), leakEnv);
if (run('log-leak check (personal values in the test run\'s log)', process.execPath, ['scripts/check-log-leaks.mjs', leakEnv.DOST_TEST_LOG_FILE, leakEnv.DOST_TEST_PII_FILE])) results.passed += 1;
else results.failed += 1;

if (!args.has('--no-browser')) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const e2e = walk('web/e2e', /\.e2e\.ts$/);
  if (e2e.length > 0 && !existsSync(chromium)) {
    if (process.env.CI) {
      process.stdout.write(`\nbrowser tests: ${chromium} not found (install Debian's chromium)\n`);
      results.failed += 1;
      ok = false;
    } else {
      process.stdout.write(`\nbrowser tests skipped: ${chromium} not found. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n`);
      results.skipped += e2e.length;
    }
  } else if (e2e.length > 0) {
    if (run('web build', process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])) {
      runNodeTests('browser tests (playwright-core + chromium)', e2e, { TEST_CONCURRENCY: '1' });
    } else {
      results.failed += 1;
    }
  }
}

process.stdout.write(`\n${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}\n`);
process.exit(ok && results.failed === 0 ? 0 : 1);
