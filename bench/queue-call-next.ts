/**
 * Call-next latency under load (issue 4): 500 windows across 30 centers calling the next ticket
 * while 50 new tickets a second arrive, on the PostgreSQL server.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/queue-call-next.ts --seconds 30
 *
 * A throw-away database gets the real migrations and reference data, plus synthetic centers up to
 * 30 (the data files hold 12 open ones). Each window behaves like an operator: call next; with a
 * ticket, serve it for a random time (mean chosen so the windows are ~90 % busy) and finish; on
 * an empty queue, look again after 1–3 s. Call-next runs through the service function (the
 * one statement the HTTP route runs, without HTTP). The load runs --warmup seconds (default 5)
 * before the clock starts, so the pool's connections are open and plans cached as on a running
 * server; --warmup 0 measures from a cold start. Baseline, measured in the same run with the
 * same pool: the bare pick (SELECT … FOR UPDATE SKIP LOCKED) and UPDATE in one transaction over
 * `pg`, on separate short queues (40 past days × 50 tickets) — the floor for a call that must lock
 * and change one row.
 * Loopback only; bounded by --seconds (max 120) and the ticket rate.
 */
import { randomInt } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { createContext, prepareDatabase } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/context.ts';
import { createLogger } from '../src/platform/logger.ts';
import { bakuDate } from '../src/platform/calendar.ts';
import * as queue from '../src/modules/queue/service.ts';
import { createDatabase, databaseUrl, dropDatabase, machineInfo, numberArg, parseArgs, percentile, printMachine, openingHoursClock } from './lib.ts';

const args = parseArgs();
const SECONDS = Math.min(120, numberArg(args, 'seconds', 30));
/** Seconds of the same load before the clock starts (pool connections opened, plans cached); 0 measures from a cold start. */
const WARMUP = Math.min(30, numberArg(args, 'warmup', 5));
const WINDOWS = numberArg(args, 'windows', 500);
const CENTERS = numberArg(args, 'centers', 30);
const RATE = numberArg(args, 'rate', 50);
const POOL = numberArg(args, 'pool', 20);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('set DATABASE_URL to the PostgreSQL server (this benchmark is for the server)');
const host = new URL(adminUrl).hostname;
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new Error('loopback only: DATABASE_URL must point at 127.0.0.1');

const name = `dost_bench_queue_${process.pid}`;
await createDatabase(adminUrl, name);
const url = databaseUrl(adminUrl, name);
const info = await machineInfo(adminUrl);
try {
  const cfg = loadConfig({ ...process.env, DATABASE_URL: url, NODE_ENV: 'test', DATABASE_POOL_SIZE: String(POOL) }, { databaseUrl: url, databasePoolSize: POOL });
  const database = await prepareDatabase(cfg, createLogger('warn'));
  const ctx = await createContext(cfg, database, createLogger('warn'), openingHoursClock());
  const db = ctx.db;

  // 30 centers: the open ones from data/centers, then synthetic ones; windows spread evenly.
  const open = (await db.selectFrom('centers').select('center_code').where('status', '=', 'open').orderBy('center_code').execute()).map((c) => c.center_code);
  const codes = open.slice(0, CENTERS);
  for (let i = codes.length; i < CENTERS; i++) {
    const code = `BENCH-${String(i + 1).padStart(2, '0')}`;
    await db.insertInto('centers').values({
      center_code: code, kind: 'center', name_az: code, name_ru: code, name_en: code, address_az: '-', address_ru: '-', address_en: '-',
      district_code: 'BAK-YAS', serves_districts: [], status: 'open', windows: 0, hours: JSON.stringify({ mon_fri: ['09:00', '18:00'] }),
    }).onConflict((oc) => oc.doNothing()).execute();
    codes.push(code);
  }
  const perCenter = codes.map((_, i) => Math.floor(WINDOWS / CENTERS) + (i < WINDOWS % CENTERS ? 1 : 0));
  for (const [i, code] of codes.entries()) await db.updateTable('centers').set({ windows: perCenter[i]! }).where('center_code', '=', code).execute();
  for (const code of codes) {
    await queue.getOpenCenter(ctx, code);
    await db.updateTable('queue_windows').set({ is_open: false }).where('center_code', '=', code).where('window_no', '>', perCenter[codes.indexOf(code)]!).execute();
  }
  const user = await db.insertInto('users').values({ username: 'bench-operator', display_name: 'bench', roles: ['admin'], password_hash: null })
    .returning('user_id').executeTakeFirstOrThrow();
  const actor: Actor = { userId: user.user_id, username: 'bench-operator', displayName: 'bench', roles: ['admin'], citizenId: null, centerCode: null, locale: 'en' };
  // The ten most common services; every window serves all of them (the default).
  const services = (await db.selectFrom('queue_center_services').select('service_code').where('center_code', '=', codes[0]!).orderBy('service_code').limit(10).execute()).map((s) => s.service_code);

  // Baseline tickets: 40 past days of 50 tickets at one center, so they never mix with the measured
  // queue and each pick sees a short queue like a center's; calls rotate over the days.
  const BASE_DAYS = 40;
  const baseDayOf = (i: number) => new Date(Date.UTC(2000, 0, 3) + (i % BASE_DAYS) * 86_400_000).toISOString().slice(0, 10);
  let baseCalls = 0;
  const raw = new pg.Pool({ connectionString: url, max: POOL });
  const baseline = async () => {
    const c = await raw.connect();
    try {
      const t0 = performance.now();
      await c.query('begin');
      const r = await c.query<{ ticket_id: string }>(
        `select ticket_id from queue_tickets where center_code = $1 and service_date = $2 and status = 'waiting' and service_code = any($3::text[])
          order by queued_at, ticket_id limit 1 for update skip locked`, [codes[0], baseDayOf(baseCalls++), services]);
      if (r.rows[0]) await c.query(`update queue_tickets set status = 'called', called_at = now(), window_no = 0 where ticket_id = $1`, [r.rows[0].ticket_id]);
      await c.query('commit');
      return performance.now() - t0;
    } finally {
      c.release();
    }
  };
  for (let b = 0; b < BASE_DAYS * 50; b += 2000) {
    await db.insertInto('queue_tickets').values(Array.from({ length: Math.min(2000, BASE_DAYS * 50 - b) }, (_, j) => {
      const i = b + j;
      return {
        center_code: codes[0]!, service_date: baseDayOf(i), number: `Z-${i}`, service_code: services[i % services.length]!, channel: 'kiosk',
        queued_at: new Date(Date.UTC(2000, 0, 3, 5) + i * 1000), issued_at: ctx.now(), survey_token: `bench-${i}-${'x'.repeat(12)}`,
      };
    })).execute();
  }

  printMachine(info);
  console.log(`${CENTERS} centers, ${WINDOWS} windows, ${RATE} new tickets/s, ${SECONDS} s measured after ${WARMUP} s of warm-up, pool ${POOL}; day ${bakuDate(ctx.now())}`);

  // The load runs from startAt; calls are measured from measureFrom (after the warm-up) to stopAt.
  const startAt = Date.now();
  const measureFrom = startAt + WARMUP * 1000;
  const stopAt = measureFrom + SECONDS * 1000;
  const measured = (t: number) => t >= measureFrom;

  // Where a slow call waits besides the database: the event loop (one process runs every
  // window, the arrivals and the baseline) and the pool (sampled every 5 ms); and when in the
  // run the slow calls came (bursts of load from elsewhere on the machine show as clusters).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const pool = database.pool!;
  let poolSamples = 0;
  let poolWaitingSamples = 0;
  let poolMaxWaiting = 0;
  let poolSampler: NodeJS.Timeout | undefined;
  const slowBySecond = new Map<number, number>();
  setTimeout(() => {
    loopDelay.enable();
    poolSampler = setInterval(() => {
      poolSamples++;
      if (pool.waitingCount > 0) poolWaitingSamples++;
      poolMaxWaiting = Math.max(poolMaxWaiting, pool.waitingCount);
    }, 5);
  }, measureFrom - Date.now());

  const callMs: number[] = [];
  const callWithTicketMs: number[] = [];
  const baselineMs: number[] = [];
  let issued = 0;
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const fail = (e: unknown) => { errors++; const k = String((e as Error).message).slice(0, 80); errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1); };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Mean service time so that the windows are ~90 % busy at this arrival rate.
  const meanServiceMs = (0.9 * WINDOWS * 1000) / RATE;

  const arrivals = (async () => {
    const start = Date.now();
    while (Date.now() < stopAt) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE);
      const batch: Promise<unknown>[] = [];
      while (issued < due) {
        issued++;
        batch.push(queue.issueTicket(ctx, actor, codes[randomInt(codes.length)]!, { serviceCode: services[randomInt(services.length)]! }).catch(fail));
      }
      await Promise.all(batch);
      await sleep(20);
    }
  })();
  const windowLoop = async (center: string, windowNo: number) => {
    await sleep(randomInt(3000));
    while (Date.now() < stopAt) {
      const t0 = performance.now();
      const clock = Date.now();
      let r;
      try {
        r = await queue.callNextTicket(ctx, actor, center, windowNo);
      } catch (e) {
        fail(e);
        await sleep(1000);
        continue;
      }
      const ms = performance.now() - t0;
      if (measured(clock)) {
        callMs.push(ms);
        if (r.ticket) callWithTicketMs.push(ms);
        if (ms >= 10) {
          const sec = Math.floor((clock - measureFrom) / 1000);
          slowBySecond.set(sec, (slowBySecond.get(sec) ?? 0) + 1);
        }
      }
      if (r.ticket) {
        await queue.actOnTicket(ctx, actor, r.ticket.id, 'serve');
        await sleep(meanServiceMs * (0.5 + Math.random()));
        await queue.actOnTicket(ctx, actor, r.ticket.id, 'finish');
      } else {
        await sleep(1000 + randomInt(2000));
      }
    }
  };
  // The baseline runs beside the load at a steady 50 calls/s, so both see the same machine.
  const baselineLoop = (async () => {
    while (Date.now() < stopAt) {
      const clock = Date.now();
      const ms = await baseline();
      if (measured(clock)) baselineMs.push(ms);
      await sleep(20);
    }
  })();
  const loops = codes.flatMap((c, i) => Array.from({ length: perCenter[i]! }, (_, w) => windowLoop(c, w + 1)));
  await Promise.all([arrivals, baselineLoop, ...loops]);

  clearInterval(poolSampler);
  loopDelay.disable();

  const f = (xs: number[], p: number) => percentile(xs, p).toFixed(1);
  console.log(`tickets issued: ${issued}; call-next requests: ${callMs.length} (${callWithTicketMs.length} returned a ticket); errors: ${errors}`);
  if (errors > 0) console.log('errors:', Object.fromEntries(errorKinds));
  console.log(`call-next, all:          p50 ${f(callMs, 50)} ms  p90 ${f(callMs, 90)} ms  p99 ${f(callMs, 99)} ms  max ${f(callMs, 100)} ms`);
  console.log(`call-next, with ticket:  p50 ${f(callWithTicketMs, 50)} ms  p99 ${f(callWithTicketMs, 99)} ms`);
  console.log(`baseline (bare pick+update): p50 ${f(baselineMs, 50)} ms  p99 ${f(baselineMs, 99)} ms  (${baselineMs.length} calls)`);
  // The histogram holds the timer's whole interval; minus the 5 ms resolution it is the delay.
  const delay = (ns: number) => Math.max(0, ns / 1e6 - 5).toFixed(1);
  console.log(`event-loop delay: p50 ${delay(loopDelay.percentile(50))} ms  p99 ${delay(loopDelay.percentile(99))} ms  max ${delay(loopDelay.max)} ms`);
  console.log(`pool: callers waiting for a connection in ${((100 * poolWaitingSamples) / Math.max(1, poolSamples)).toFixed(1)} % of samples, at most ${poolMaxWaiting}`);
  console.log(`calls of 10 ms or more, per second of the measured run: ${[...slowBySecond.entries()].sort((a, b) => a[0] - b[0]).map(([sec, n]) => `${sec}s:${n}`).join(' ') || 'none'}`);
  const p99 = percentile(callMs, 99);
  console.log(`goal: call-next p99 < 10 ms: ${p99 < 10 ? 'met' : 'NOT met'} (${p99.toFixed(1)} ms)`);
  await raw.end();
  await database.close();
} finally {
  await dropDatabase(adminUrl, name);
}
