/**
 * Event to decision: births are registered at a steady rate (citizen row, life event and outbox
 * event in one transaction, as the registry does) while outbox dispatchers run the benefit rules;
 * the latency is from the birth's commit to the moment its childbirth assignment is visible.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/rules-event.ts --rate 100 --seconds 20 --dispatchers 4
 *
 * Flags: --citizens N (background population, 20,000), --rate births/s, --seconds, --dispatchers
 * (concurrent consumers; SKIP LOCKED shares the work), --modes (comma-separated, run in this order
 * on the same database: `poll` = one event per transaction, polling every 5 ms, the build before
 * NOTIFY; `notify` = woken by NOTIFY on commit, batches of up to --batch events (64), polling
 * every 2 s only as a fallback). Default: poll,notify — the baseline and the change in one run.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { publishEvent } from '../src/platform/events.ts';
import { createOutboxDispatcher } from '../src/platform/outbox.ts';
import { createNotifier } from '../src/platform/notify.ts';
import { readReferenceData } from '../src/modules/reference/data-files.ts';
import { upsertReferenceData } from '../src/modules/reference/repository.ts';
import { generatePopulation } from '../src/modules/registry/generate.ts';
import { FIN_ALPHABET } from '../src/modules/registry/identifiers.ts';
import { benefitsDispatcherOptions, benefitsOutboxHandlers, getRuleBook } from '../src/modules/benefits/service.ts';
import { createDatabase, databaseUrl, dropDatabase, fmtInt, machineInfo, numberArg, parseArgs, percentile, printMachine } from './lib.ts';

const args = parseArgs();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench/rules-event.ts needs DATABASE_URL (a PostgreSQL server)');
  process.exit(2);
}
const N = numberArg(args, 'citizens', 20_000);
const RATE = numberArg(args, 'rate', 100);
const SECONDS = numberArg(args, 'seconds', 20);
const DISPATCHERS = numberArg(args, 'dispatchers', 4);
const BATCH = numberArg(args, 'batch', 64);
const MODES = (args.get('modes') ?? 'poll,notify').split(',');
const name = `dost_bench_event_${process.pid}`;

printMachine(await machineInfo(url));
await createDatabase(url, name);
const d = await openDatabase({ url: databaseUrl(url, name), poolSize: DISPATCHERS + 4 });
try {
  await migrate(d);
  await upsertReferenceData(d.db, await readReferenceData());
  await generatePopulation(d, { citizens: N, seed: 2, asOf: '2026-11-01' });
  await d.exec('analyze');
  await getRuleBook();
  const mothers = await d.db.selectFrom('citizens').select('citizen_id').where('sex', '=', 'F')
    .where('birth_date', '>', '1985-01-01').where('birth_date', '<', '2004-01-01').limit(5000).execute();
  // Today: the day after each birth, Baku time.
  const now = () => new Date('2026-11-02T08:00:00Z');
  const total = RATE * SECONDS;
  // FINs no generated citizen has, enough for every mode.
  const taken = new Set((await d.db.selectFrom('citizens').select('fin').execute()).map((r) => r.fin));
  const fins: string[] = [];
  for (let k = 0; fins.length < total * MODES.length; k++) {
    let n = k; let f = '';
    for (let j = 0; j < 7; j++) { f = FIN_ALPHABET[n % FIN_ALPHABET.length] + f; n = Math.floor(n / FIN_ALPHABET.length); }
    if (!taken.has(f)) fins.push(f);
  }
  const notifier = createNotifier(d);
  for (const [m, mode] of MODES.entries()) {
    const dispatchers = Array.from({ length: DISPATCHERS }, () => createOutboxDispatcher(d.db, benefitsOutboxHandlers(now),
      mode === 'poll' ? { pollMs: 5 } : { ...benefitsDispatcherOptions(now, notifier), batchSize: BATCH }));
    for (const x of dispatchers) x.start();

    const committed = new Map<number, number>();
    const seen = new Map<number, number>();
    let stop = false;
    let stopAt = 0;
    const watcher = (async () => {
      while (!stop || seen.size < committed.size) {
        const rows = await d.db.selectFrom('benefit_assignments').select('subject_key').where('benefit_id', '=', 'childbirth_allowance').execute();
        const t = performance.now();
        for (const r of rows) { const id = Number(r.subject_key.slice(6)); if (committed.has(id) && !seen.has(id)) seen.set(id, t); }
        if (stop && performance.now() - stopAt > 30_000) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const mother = mothers[i % mothers.length]!.citizen_id;
      const fin = fins[m * total + i]!;
      inFlight.push(d.db.transaction().execute(async (trx) => {
        const child = await trx.insertInto('citizens').values({
          fin, last_name: 'Bench', first_name: 'Körpə',
          birth_date: '2026-11-01', sex: i % 2 ? 'M' : 'F', district_code: 'BAK-YAS',
        }).returning('citizen_id').executeTakeFirstOrThrow();
        const e = await trx.insertInto('life_events').values({ citizen_id: child.citizen_id, type: 'birth', occurred_on: '2026-11-01', source: 'bench', data: JSON.stringify({ motherCitizenId: mother }) })
          .returning(['event_id']).executeTakeFirstOrThrow();
        await publishEvent(trx, 'registry.life_event.recorded', { citizenId: child.citizen_id, eventId: e.event_id, type: 'birth', occurredOn: '2026-11-01' });
        return child.citizen_id;
      }).then((id) => { committed.set(id, performance.now()); }));
    }
    await Promise.all(inFlight);
    stop = true;
    stopAt = performance.now();
    await watcher;
    for (const x of dispatchers) await x.stop();
    const lat = [...committed].filter(([id]) => seen.has(id)).map(([id, t]) => seen.get(id)! - t);
    const how = mode === 'poll' ? 'one event per transaction, polling every 5 ms' : `NOTIFY on commit, batches of up to ${BATCH}, polling every 2 s as a fallback`;
    console.log(`[${mode}] ${how}: ${fmtInt(total)} births at ${RATE}/s for ${SECONDS} s, ${DISPATCHERS} dispatchers, ${fmtInt(N)} background citizens`);
    console.log(`[${mode}] decided ${fmtInt(lat.length)} of ${fmtInt(committed.size)}; latency p50 ${percentile(lat, 50).toFixed(0)} ms, p90 ${percentile(lat, 90).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms (watcher polls every 10 ms)`);
  }
  await notifier.close();
} finally {
  await d.close();
  if (!args.has('keep')) await dropDatabase(url, name);
}
