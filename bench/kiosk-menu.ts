/**
 * Kiosk menu latency (issue 8): GET /api/queue/centers/:centerCode/services — every service of a
 * center with its letter, queue length and estimated wait — at 8 concurrent clients over
 * loopback, on PGlite (default) or the PostgreSQL server (DATABASE_URL).
 *
 *   node --import tsx bench/kiosk-menu.ts [--clients 8] [--requests 2000] [--seconds 20] [--waiting 300]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/kiosk-menu.ts
 *
 * A throw-away database gets the real migrations and reference data; the center (BAKU-1, every
 * window open) gets --waiting tickets waiting over its services and a week of finished ones, so
 * the estimate has service times to read. The clock is fixed at a weekday 10:00 in Baku. While
 * the clients read the menu, one more client issues a kiosk ticket every --issue-ms (default
 * 250 ms), so the menu keeps changing as in a busy hall. Baseline, measured in the same run at the
 * same concurrency and over the same HTTP server: GET /healthz (no database) — the floor of one
 * request through the server. Bounded by --requests per phase and --seconds per phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createApp, createContext, prepareDatabase } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import * as queue from '../src/modules/queue/service.ts';
import { createDatabase, databaseUrl, dropDatabase, machineInfo, numberArg, parseArgs, percentile, printMachine } from './lib.ts';

const args = parseArgs();
const CLIENTS = Math.min(64, numberArg(args, 'clients', 8));
const REQUESTS = Math.min(50_000, numberArg(args, 'requests', 2000));
const SECONDS = Math.min(60, numberArg(args, 'seconds', 20));
const WAITING = Math.min(5000, numberArg(args, 'waiting', 300));
const ISSUE_MS = numberArg(args, 'issue-ms', 250);
const CENTER = 'BAKU-1';
const NOW = new Date('2026-11-24T06:00:00Z'); // Tuesday 10:00 in Baku

const adminUrl = process.env.DATABASE_URL;
if (adminUrl && !['127.0.0.1', 'localhost', '::1'].includes(new URL(adminUrl).hostname)) throw new Error('loopback only: DATABASE_URL must point at 127.0.0.1');
const name = `dost_bench_menu_${process.pid}`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dost-menu-'));
if (adminUrl) await createDatabase(adminUrl, name);
const url = adminUrl ? databaseUrl(adminUrl, name) : undefined;
const info = await machineInfo(adminUrl);

async function phase(label: string, base: string, path_: string, background?: () => Promise<void>) {
  const times: number[] = [];
  let sent = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  let stop = false;
  const bg = background ? (async () => { while (!stop) { await background(); await new Promise((r) => setTimeout(r, ISSUE_MS)); } })() : Promise.resolve();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (sent < REQUESTS && performance.now() < deadline) {
      sent++;
      const t = performance.now();
      const res = await fetch(base + path_);
      await res.arrayBuffer();
      times.push(performance.now() - t);
      if (res.status !== 200) errors++;
    }
  }));
  const wall = performance.now() - t0;
  stop = true;
  await bg;
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(`${label}: ${times.length} requests in ${(wall / 1000).toFixed(1)} s (${Math.round((times.length * 1000) / wall)}/s), p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms, non-200: ${errors}`);
  return { p50, p99 };
}

try {
  const cfg = loadConfig({ NODE_ENV: 'test', DOST_DATA_DIR: tmp, ...(url && { DATABASE_URL: url }) }, { logLevel: 'warn', ...(url && { databaseUrl: url }) });
  const database = await prepareDatabase(cfg, createLogger('warn'));
  const ctx = await createContext(cfg, database, createLogger('warn'), () => NOW);
  const app = await createApp(ctx);
  try {
    // The hall: a week of finished tickets (service times for the estimate) and WAITING waiting now.
    const menu = await queue.listCenterServices(ctx, CENTER);
    const codes = menu.map((s) => s.serviceCode);
    await sql`
      insert into queue_tickets (center_code, service_date, number, service_code, priority, channel, status, queued_at, issued_at, serving_at, finished_at, survey_token)
      select ${CENTER}, ((${NOW}::timestamptz - make_interval(days => 1 + i % 7)) at time zone 'Asia/Baku')::date, 'Z-' || i,
             (${codes}::text[])[1 + i % array_length(${codes}::text[], 1)], 'normal', 'kiosk', 'done',
             ${NOW}::timestamptz - make_interval(days => 1 + i % 7, mins => 30), ${NOW}::timestamptz - make_interval(days => 1 + i % 7, mins => 30),
             ${NOW}::timestamptz - make_interval(days => 1 + i % 7, mins => 20), ${NOW}::timestamptz - make_interval(days => 1 + i % 7, mins => 5 + i % 10),
             'bench-history-' || i
        from generate_series(1, 3000) i`.execute(ctx.db);
    for (let i = 0; i < WAITING; i++) await queue.issueTicket(ctx, null, CENTER, { serviceCode: codes[i % codes.length]! });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const menuPath = `/api/queue/centers/${CENTER}/services`;
    // Through the service, not the kiosk route: the kiosk's per-address rate limit would refuse a bench's pace.
    let n = 0;
    const issue = async () => { await queue.issueTicket(ctx, null, CENTER, { serviceCode: codes[n++ % codes.length]! }); };

    printMachine(info);
    console.log(`engine: ${url ? 'PostgreSQL server' : 'PGlite'}; ${codes.length} services at ${CENTER}, ${WAITING} waiting, 3,000 finished in the last week; ${CLIENTS} clients over loopback`);
    for (let i = 0; i < 50; i++) await fetch(base + menuPath).then((r) => r.arrayBuffer()); // warm-up: plans cached, connections open
    const baseline = await phase('baseline GET /healthz', base, '/healthz');
    const quiet = await phase('menu, quiet hall', base, menuPath);
    const busy = await phase(`menu, a kiosk ticket every ${ISSUE_MS} ms`, base, menuPath, issue);
    console.log(`p99 ratio to baseline: quiet ${(quiet.p99 / baseline.p99).toFixed(1)}x, busy ${(busy.p99 / baseline.p99).toFixed(1)}x`);
    console.log(`target p99 < 50 ms with ${CLIENTS} clients: ${busy.p99 < 50 && quiet.p99 < 50 ? 'met' : 'NOT met'}`);
  } finally {
    await app.close();
    await database.close();
  }
} finally {
  if (adminUrl) await dropDatabase(adminUrl, name);
  rmSync(tmp, { recursive: true, force: true });
}
