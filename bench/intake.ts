/**
 * Intake benchmark: POST /api/applications (validated against the service form, authorized by
 * bearer token, prefilled from the registry, persisted with its first action, outbox event,
 * audit row and idempotency record — durable) at N concurrent connections on a PostgreSQL
 * server, against a baseline measured in the same run: `pgbench` at the same concurrency
 * running the very statement the API uses to write those rows (so the ratio is the cost of
 * everything around the write: HTTP, auth, validation, the applicant read, the response).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/intake.ts [--concurrency 32] [--seconds 15]
 *
 * Needs `wrk` and `pgbench` (Debian: apt-get install -y wrk postgresql-client). The server runs
 * as a child process; wrk and pgbench are C programs, so the load costs the machine little.
 * Loopback only, bounded by --seconds.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { hashPassword } from '../src/modules/identity/password.ts';
import { sampleAnswers } from '../src/modules/cases/index.ts';
import { toFieldOut } from '../src/modules/catalog/index.ts';
import type { FormFieldDef } from '../src/modules/reference/data-files.ts';
import { createDatabase, databaseUrl, dropDatabase, machineInfo, numberArg, parseArgs, percentile, printMachine, ratioLine } from './lib.ts';

const args = parseArgs();
const CONCURRENCY = numberArg(args, 'concurrency', 32);
const SECONDS = numberArg(args, 'seconds', 15);
const POOL = args.get('pool'); // the server's DATABASE_POOL_SIZE; default: the product's own default
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('DATABASE_URL (a PostgreSQL server) is required');
  process.exit(2);
}
for (const tool of ['wrk', 'pgbench']) {
  try {
    execFileSync('which', [tool]);
  } catch {
    console.error(`${tool} is required (apt-get install -y wrk postgresql-client)`);
    process.exit(2);
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dost-intake-'));

async function main() {
  const name = `dost_bench_intake_${process.pid}`;
  await createDatabase(adminUrl!, name);
  const dbUrl = databaseUrl(adminUrl!, name);
  const port = 3900 + (process.pid % 90);
  const server = fork(new URL('../bin/dost.mjs', import.meta.url).pathname, ['start', '--port', String(port), '--no-demo'], {
    env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', ...(POOL ? { DATABASE_POOL_SIZE: POOL } : {}), NODE_ENV: 'production', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...(process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
  });
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { rows: [c] } = await pool.query(`insert into citizens (fin, last_name, first_name, birth_date, sex, district_code, phone)
      values ('5BENCH1', 'Əliyev', 'Rəşad', '1980-01-01', 'M', 'BAK-YAS', '+994501112233') returning citizen_id`);
    const { rows: [u] } = await pool.query(`insert into users (username, display_name, password_hash, roles, citizen_id) values ('benchcitizen', 'Bench', $1, '{citizen}', $2) returning user_id`,
      [await hashPassword('bench-password-1'), c.citizen_id]);
    const { rows: services } = await pool.query(`select service_code, form from services where 'online' = any(channels) and active order by service_code`);
    type F = FormFieldDef;
    const svc = services.find((s) => (s.form.fields as F[]).every((f) => f.prefill || !f.required || ['text', 'textarea', 'select', 'boolean', 'number', 'money'].includes(f.type)))!;
    const data = sampleAnswers((svc.form.fields as F[]).filter((f) => f.required).map(toFieldOut));
    const tok = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'benchcitizen', password: 'bench-password-1' }) }).then((r) => r.json()) as { token: string };
    const body = JSON.stringify({ serviceCode: svc.service_code, data });

    printMachine(await machineInfo(dbUrl));
    console.log(`concurrency ${CONCURRENCY}, ${SECONDS} s per run, service ${svc.service_code}\n`);

    // Baseline: the API's own write statement (cases/repository.ts insertSubmission), run by pgbench.
    const esc = (s: string) => s.replace(/'/g, "''");
    const script = `
with app as (
  insert into applications (citizen_id, application_id, reference, service_code, status, channel, center_code, submitted_by,
                            assisted, data, submitted_at, status_since, sla_due_on, last_seq)
  values (${c.citizen_id}, gen_random_uuid(), 'DOST-2026-' || lpad(nextval('application_number_seq')::text, 7, '0'),
          '${svc.service_code}', 'submitted', 'online', null, '${u.user_id}', false, '${esc(JSON.stringify(data))}'::jsonb, now(), now(), current_date + 14, 1)
  returning citizen_id, application_id, reference
), act as (
  insert into application_actions (citizen_id, application_id, seq, action, actor_user_id, actor_role, at, data)
  select citizen_id, application_id, 1, 'submit', '${u.user_id}', 'citizen', now(), jsonb_build_object('channel', 'online', 'assisted', false) from app
), ev as (
  insert into outbox (topic, payload)
  select 'cases.application.submitted', jsonb_build_object('citizenId', citizen_id, 'applicationId', application_id, 'reference', reference, 'serviceCode', '${svc.service_code}') from app
), au as (
  insert into audit_log (actor_user_id, actor_username, actor_roles, action, citizen_id, resource, purpose, request_id, ip)
  select '${u.user_id}', 'benchcitizen', '{citizen}', 'application.create', citizen_id, 'applications/' || reference, 'own application', null, '127.0.0.1' from app
), idem as (
  insert into idempotency_keys (scope, key, request_hash, status_code, response)
  select 'bench', gen_random_uuid()::text, 'x', 201, jsonb_build_object('reference', reference) from app
)
select reference from app;
`.replace(/\n\s*/g, ' ').trim();
    writeFileSync(path.join(tmp, 'insert.sql'), `${script}\n`);
    execFileSync('pgbench', ['-n', '-c', String(CONCURRENCY), '-j', '2', '-T', '2', '-f', path.join(tmp, 'insert.sql'), dbUrl], { stdio: 'ignore' }); // warm-up
    const pgbenchOut = execFileSync('pgbench', ['-n', '-c', String(CONCURRENCY), '-j', '2', '-T', String(SECONDS), '-l', '--log-prefix', path.join(tmp, 'pgb'),
      '-f', path.join(tmp, 'insert.sql'), dbUrl], { encoding: 'utf8' });
    const baseRate = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pgbenchOut)?.[1]);
    const lat = readdirSync(tmp).filter((f) => f.startsWith('pgb')).flatMap((f) => readFileSync(path.join(tmp, f), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[2]) / 1000));
    console.log(`baseline (pgbench, same SQL)   ${baseRate.toFixed(0)} tx/s, p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms`);

    const lua = path.join(tmp, 'post.lua');
    writeFileSync(lua, `
local n = 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
wrk.method = "POST"
wrk.body = ${JSON.stringify(body)}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ${tok.token}"
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = string.format("bench-%s-%d-%d", tostring(tid), n, math.random(1000000000))
  return wrk.format()
end
`);
    execFileSync('wrk', ['-t', '2', '-c', String(CONCURRENCY), '-d', '3s', '-s', lua, `${base}/api/applications`], { stdio: 'ignore' }); // warm-up
    const wrkOut = execFileSync('wrk', ['-t', '2', '-c', String(CONCURRENCY), '-d', `${SECONDS}s`, '--latency', '-s', lua, `${base}/api/applications`], { encoding: 'utf8' });
    const apiRate = Number(/Requests\/sec:\s+([\d.]+)/.exec(wrkOut)?.[1]);
    const toMs = (v: string, unit: string) => Number(v) * (unit === 's' ? 1000 : unit === 'us' ? 0.001 : 1);
    const q = (p: string) => { const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(wrkOut); return m ? toMs(m[1]!, m[2]!) : NaN; };
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(wrkOut)?.[1] ?? 0);
    console.log(`POST /api/applications (wrk)   ${apiRate.toFixed(0)} req/s, p50 ${q('50').toFixed(1)} ms, p99 ${q('99').toFixed(1)} ms, non-2xx ${non2xx}`);
    console.log(`\n${ratioLine('ratio (API / baseline)', apiRate / baseRate, 0.6)}; API p99 ${q('99').toFixed(1)} ms (goal < 25 ms)`);
    if (non2xx > 0) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pool.end();
    await dropDatabase(adminUrl!, name);
  }
}

await main();
