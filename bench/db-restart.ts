/**
 * Database-outage benchmark: the API (a child process, `NODE_ENV=production`) under closed-loop
 * load of N clients (half submitting applications with an Idempotency-Key, half reading one) over
 * a PostgreSQL server of its own (initdb in a temporary directory, its own port). Three runs of
 * the same length: the baseline (no outage), `pg_ctl restart -m fast`, and `pg_ctl stop -m
 * immediate` + 2 s away + start (a crash: the stand-in for a failover or a cut network). Prints
 * per run the answers by status, throughput, the time from "server back" to the first success,
 * the statuses during the outage, and the ratio of each outage run's throughput to the baseline.
 *
 *   node --import tsx bench/db-restart.ts [--concurrency 16] [--seconds 10]
 *
 * Needs the PostgreSQL server binaries (/usr/lib/postgresql/N/bin, or PG_BIN). Loopback only.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { hashPassword } from '../src/modules/identity/password.ts';
import { sampleAnswers } from '../src/modules/cases/index.ts';
import { toFieldOut } from '../src/modules/catalog/index.ts';
import type { FormFieldDef } from '../src/modules/reference/data-files.ts';
import { freePort, startPgInstance } from '../src/test/pg-instance.ts';
import { sleep, startLoad, submit, type Sample } from '../src/test/http-load.ts';
import { fmtInt, machineInfo, numberArg, parseArgs, percentile, printMachine } from './lib.ts';

const args = parseArgs();
const CONCURRENCY = numberArg(args, 'concurrency', 16);
const SECONDS = numberArg(args, 'seconds', 10);

const server = await startPgInstance();
const pool = new pg.Pool({ connectionString: server.url, max: 2 });
pool.on('error', () => undefined); // its idle connections die in the outages too
const port = await freePort();
const api = fork(new URL('../bin/dost.mjs', import.meta.url).pathname, ['start', '--port', String(port), '--no-demo'], {
  env: { ...process.env, DATABASE_URL: server.url, LOG_LEVEL: 'error', NODE_ENV: 'production', PUBLIC_URL: `http://127.0.0.1:${port}` },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
let apiExit: string | undefined;
api.on('exit', (code, signal) => { apiExit = `exit code ${code} signal ${signal}`; });
const base = `http://127.0.0.1:${port}`;

type Run = { name: string; samples: Sample[]; ms: number; outage?: { from: number; back: number } };

function report(run: Run, baseline?: Run) {
  const byStatus = (xs: Sample[]) => {
    const c: Record<string, number> = {};
    for (const s of xs) {
      const k = s.status === 0 ? 'no answer' : String(s.status);
      c[k] = (c[k] ?? 0) + 1;
    }
    return Object.entries(c).sort().map(([k, v]) => `${k}: ${fmtInt(v)}`).join(', ');
  };
  const ok = run.samples.filter((s) => s.status >= 200 && s.status < 300);
  const rate = (ok.length * 1000) / run.ms;
  const lat = ok.map((s) => s.end - s.start);
  console.log(`\n${run.name}`);
  console.log(`  answers          ${byStatus(run.samples)}`);
  console.log(`  successes        ${rate.toFixed(0)} req/s, p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms`);
  if (run.outage) {
    const { from, back } = run.outage;
    const first = ok.filter((s) => s.start >= back).sort((a, b) => a.end - b.end)[0];
    const recovered = first ? first.end : Infinity;
    const during = run.samples.filter((s) => s.end >= from && s.start < recovered);
    const slow503 = during.filter((s) => s.status === 503).map((s) => s.end - s.start);
    console.log(`  outage           server away ${(back - from).toFixed(0)} ms (command start to accepting connections)`);
    console.log(`  recovery         first success ${(recovered - back).toFixed(0)} ms after the server was back`);
    console.log(`  during outage    ${byStatus(during)}; 503 answered in p50 ${percentile(slow503, 50).toFixed(1)} ms, max ${Math.max(0, ...slow503).toFixed(0)} ms`);
  }
  if (baseline) {
    const baseRate = (baseline.samples.filter((s) => s.status >= 200 && s.status < 300).length * 1000) / baseline.ms;
    console.log(`  ratio            ${(rate / baseRate).toFixed(2)}x of the baseline's successes per second (over the whole run, outage included)`);
  }
}

try {
  for (let i = 0; i < 600 && !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i++) await sleep(200);
  if (apiExit) throw new Error(`the API did not start: ${apiExit}`);
  const { rows: [c] } = await pool.query(`insert into citizens (fin, last_name, first_name, birth_date, sex, district_code)
    values ('5BENCH2', 'Əliyev', 'Rəşad', '1980-01-01', 'M', 'BAK-YAS') returning citizen_id`);
  await pool.query(`insert into users (username, display_name, password_hash, roles, citizen_id) values ('benchcitizen', 'Bench', $1, '{citizen}', $2)`,
    [await hashPassword('bench-password-1'), c.citizen_id]);
  const { rows: services } = await pool.query(`select service_code, form from services where 'online' = any(channels) and active order by service_code`);
  const svc = services.find((s) => (s.form.fields as FormFieldDef[]).every((f) => f.prefill || !f.required || ['text', 'textarea', 'select', 'boolean', 'number', 'money'].includes(f.type)))!;
  const submission = { serviceCode: svc.service_code, data: sampleAnswers((svc.form.fields as FormFieldDef[]).filter((f) => f.required).map(toFieldOut)) };
  const tok = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'benchcitizen', password: 'bench-password-1' }) }).then((r) => r.json()) as { token: string };
  const first = await submit({ base, token: tok.token, submission }, 'bench-first');
  if (first.status !== 201) throw new Error(`first submission: ${first.status} ${JSON.stringify(first.body)}`);
  const opts = { base, token: tok.token, submission, clients: CONCURRENCY, readPath: `/api/applications/${(first.body as { reference: string }).reference}` };

  printMachine({ ...(await machineInfo(server.url)) });
  console.log(`concurrency ${CONCURRENCY}, ${SECONDS} s per run, PostgreSQL of its own on port ${server.port}, API pool of 10 (default)`);

  // Warm-up, not reported.
  const warm = startLoad(opts);
  await sleep(2000);
  await warm.stop();

  const timed = async (name: string, outage?: () => Promise<{ from: number; back: number }>): Promise<Run> => {
    const load = startLoad(opts);
    const t0 = performance.now();
    let o: { from: number; back: number } | undefined;
    if (outage) {
      await sleep(Math.min(3000, (SECONDS * 1000) / 3));
      o = await outage();
    }
    // The run lasts --seconds, and at least 3 s past the server's return (to see the recovery).
    await sleep(Math.max(0, SECONDS * 1000 - (performance.now() - t0), o ? o.back + 3000 - performance.now() : 0));
    await load.stop();
    const ms = performance.now() - t0;
    if (apiExit) throw new Error(`the API died during "${name}": ${apiExit}`);
    return { name, samples: load.samples, ms, outage: o };
  };

  const baseline = await timed('baseline (no outage)');
  report(baseline);
  const restart = await timed('pg_ctl restart -m fast', async () => {
    const from = performance.now();
    await server.restart('fast');
    return { from, back: performance.now() };
  });
  report(restart, baseline);
  const crash = await timed('pg_ctl stop -m immediate, 2 s away, start', async () => {
    const from = performance.now();
    await server.stop('immediate');
    await sleep(2000);
    await server.start();
    return { from, back: performance.now() };
  });
  report(crash, baseline);

  // Acknowledged writes are all there.
  const refs = [...baseline.samples, ...restart.samples, ...crash.samples]
    .filter((s) => s.kind === 'write' && s.status === 201).map((s) => (s.body as { reference: string }).reference);
  const { rows: [{ n }] } = await pool.query('select count(*)::int as n from applications where reference = any($1)', [refs]);
  console.log(`\nacknowledged writes ${fmtInt(refs.length)}, found in the database ${fmtInt(n)}; API process ${apiExit ?? 'alive'}`);
  if (n !== refs.length || apiExit) process.exitCode = 1;
} finally {
  api.kill('SIGTERM');
  if (!apiExit) await new Promise((r) => api.once('exit', r));
  await pool.end();
  await server.destroy();
}
