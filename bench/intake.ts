/**
 * Intake benchmark: POST /api/applications (validated, authorized, persisted with its first
 * action, an audit row, an outbox event and the idempotency record, durable) at N concurrent
 * connections against a PostgreSQL server, versus a baseline measured in the same run: the same
 * rows written by a raw `pg` loop at the same concurrency, one transaction per application.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/intake.ts [--concurrency 32] [--seconds 20]
 *
 * The server runs in a child process (as in production); the load comes from this process over
 * loopback keep-alive connections. Bounded in time and in count.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CONCURRENCY = arg('concurrency', 32);
const SECONDS = arg('seconds', 20);
const MAX_REQUESTS = arg('max', 200_000);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('DATABASE_URL (a PostgreSQL server) is required');
  process.exit(2);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function runLoad(label: string, worker: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline && count < MAX_REQUESTS) {
      const i = count++;
      const t0 = performance.now();
      try {
        await worker(i);
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        if (errors <= 3) console.error(`${label} error:`, (e as Error).message);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const r = { label, ok: latencies.length, errors, rate: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99) };
  console.log(`${label.padEnd(28)} ${r.ok} ok, ${errors} errors, ${r.rate.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
  return r;
}

async function main() {
  const name = `dost_bench_intake_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const port = 3900 + (process.pid % 90);
  const server = fork(new URL('../bin/dost.mjs', import.meta.url).pathname, ['start', '--port', String(port), '--no-demo'], {
    env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: String(CONCURRENCY), LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pool = new pg.Pool({ connectionString: dbUrl, max: CONCURRENCY });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Factories through the same code paths: a citizen, a citizen user, a service with its form.
    const { rows: [c] } = await pool.query(`insert into citizens (fin, last_name, first_name, birth_date, sex, district_code, phone)
      values ('5BENCH1', 'Əliyev', 'Rəşad', '1980-01-01', 'M', 'BAK-YAS', '+994501112233') returning citizen_id`);
    const { hashPassword } = await import('../src/modules/identity/password.ts');
    await pool.query(`insert into users (username, display_name, password_hash, roles, citizen_id) values ('benchcitizen', 'Bench', $1, '{citizen}', $2)`,
      [await hashPassword('bench-password-1'), c.citizen_id]);
    const { rows: services } = await pool.query(`select service_code, form from services where 'online' = any(channels) and active order by service_code`);
    const svc = services.find((s) => s.form.fields.every((f: { type: string; prefill?: string; required: boolean }) => f.prefill || !f.required || ['text', 'textarea', 'select', 'boolean', 'number', 'money'].includes(f.type)))!;
    const data: Record<string, unknown> = {};
    for (const f of svc.form.fields as { name: string; type: string; prefill?: string; required: boolean; options?: { value: string }[]; min?: number }[]) {
      if (f.prefill || !f.required) continue;
      data[f.name] = f.type === 'select' ? f.options![0]!.value : f.type === 'boolean' ? true : f.type === 'number' || f.type === 'money' ? Math.max(f.min ?? 0, 100) : 'Bakı';
    }
    const tok = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'benchcitizen', password: 'bench-password-1' }) }).then((r) => r.json()) as { token: string };
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const body = JSON.stringify({ serviceCode: svc.service_code, data });
    const post = () => new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/applications', method: 'POST', agent, headers: {
        'content-type': 'application/json', authorization: `Bearer ${tok.token}`, 'idempotency-key': randomUUID(), 'content-length': Buffer.byteLength(body),
      } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
    for (let i = 0; i < 200; i++) await post(); // warm-up

    console.log(`\nmachine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${(await pool.query('show server_version')).rows[0].server_version}`);
    console.log(`concurrency ${CONCURRENCY}, ${SECONDS} s per run\n`);

    // Baseline: the same rows, straight into PostgreSQL, one transaction per application.
    const baseline = await runLoad('baseline (raw pg)', async (i) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const ref = `DOST-2099-${String(9_000_000 + i).padStart(7, '0')}-${process.pid}`;
        const { rows: [a] } = await client.query(`insert into applications (citizen_id, reference, service_code, status, channel, submitted_by, data, sla_due_on)
          values ($1, $2, $3, 'submitted', 'online', null, $4, current_date + 10) returning application_id`, [c.citizen_id, ref, svc.service_code, JSON.stringify(data)]);
        await client.query(`insert into application_actions (citizen_id, application_id, seq, action, actor_role) values ($1, $2, 1, 'submit', 'citizen')`, [c.citizen_id, a.application_id]);
        await client.query(`insert into audit_log (action, citizen_id, resource, purpose) values ('application.create', $1, $2, 'own application')`, [c.citizen_id, ref]);
        await client.query(`insert into outbox (topic, payload) values ('cases.application.submitted', $1)`, [JSON.stringify({ ref })]);
        await client.query(`insert into idempotency_keys (scope, key, request_hash, status_code, response) values ('bench', $1, 'x', 201, '{}')`, [randomUUID()]);
        await client.query('commit');
      } finally {
        client.release();
      }
    });
    const api = await runLoad('POST /api/applications', post);
    const ratio = api.rate / baseline.rate;
    console.log(`\nratio (API / baseline): ${ratio.toFixed(2)}x   goal ≥ 0.6x; API p99 ${api.p99.toFixed(1)} ms, goal < 25 ms`);
    agent.destroy();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pool.end();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
