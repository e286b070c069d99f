import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createContext } from '../../app.ts';
import type { AppContext } from '../../platform/context.ts';
import { openDatabase, type Database } from '../../platform/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createUser } from '../../test/factories.ts';
import { getRuleBook } from '../benefits/index.ts';
import { JobStopped, type JobDefinition } from './jobs.ts';
import { createScheduler, latestSlot, startRun } from './service.ts';

let t: TestApp;
/** A second API process over the same database (on PGlite, the same open database: one process owns it). */
let other: { ctx: AppContext; database: Database | undefined };

before(async () => {
  t = await createTestApp();
  const database = t.database.url ? await openDatabase({ url: t.database.url, poolSize: 3 }) : undefined;
  other = { ctx: await createContext(t.ctx.config, database ?? t.database, createLogger('silent'), () => t.ctx.now()), database };
});
after(async () => {
  await other.database?.close();
  await t.close();
});

const runs = (job?: string) => {
  let q = t.ctx.db.selectFrom('scheduled_job_runs').selectAll().orderBy('run_id');
  if (job) q = q.where('job', '=', job);
  return q.execute();
};

/** A job that runs until `open()` is called (or its run is stopped). */
function gatedJob(name: string, dailyAt = '03:00') {
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const job: JobDefinition = {
    name, description: 'test', dailyAt,
    async run(_ctx, progress, signal) {
      const stopped = new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(new JobStopped())));
      stopped.catch(() => undefined);
      await progress(1, 2);
      if (signal.aborted) throw new JobStopped();
      await Promise.race([gate, stopped]);
      return { done: true };
    },
  };
  return { job, open: () => open() };
}

test('latestSlot: the last time the daily Baku time came', () => {
  assert.equal(latestSlot('02:00', new Date('2026-11-10T22:00:30Z')).toISOString(), '2026-11-10T22:00:00.000Z'); // 02:00:30 on the 11th in Baku
  assert.equal(latestSlot('02:00', new Date('2026-11-10T21:59:59Z')).toISOString(), '2026-11-09T22:00:00.000Z');
  assert.equal(latestSlot('23:30', new Date('2026-11-10T10:00:00Z')).toISOString(), '2026-11-09T19:30:00.000Z');
});

test('the nightly sweep and the escalation run at their Baku times, once per day; a day missed while down is caught up once at the next start', async () => {
  t.setNow('2026-11-10T10:00:00Z'); // 14:00 in Baku: a fresh installation does not run this morning's slot
  const s = createScheduler(t.ctx, { autoStart: false });
  assert.deepEqual(await s.tick(), []);

  t.setNow('2026-11-10T22:00:30Z'); // 02:00:30 on the 11th: DOST_SWEEP_AT 02:00 has come
  const started = await s.tick();
  assert.deepEqual(started.map((r) => [r.run.job, r.run.trigger]), [['benefits.sweep', 'schedule']]);
  const done = await started[0]!.done;
  assert.equal(done.status, 'succeeded', done.error ?? '');
  const rules = (await getRuleBook()).byId.size;
  assert.equal(done.progress_total, rules);
  assert.equal(done.progress_done, rules);
  assert.equal((done.summary as { date: string }).date, '2026-11-11');
  assert.ok((done.summary as { totals: Record<string, number> }).totals.evaluated !== undefined);
  assert.deepEqual(await s.tick(), []); // the slot has its run

  t.setNow('2026-11-11T02:00:00Z'); // 06:00: DOST_ESCALATION_AT
  const esc = await s.tick();
  assert.deepEqual(esc.map((r) => r.run.job), ['cases.escalate']);
  assert.equal((await esc[0]!.done).status, 'succeeded');
  await s.stop();

  // Down from the 11th to the 13th at noon: each job's latest missed slot runs once at start.
  t.setNow('2026-11-13T08:00:00Z');
  const restarted = createScheduler(t.ctx, { autoStart: false });
  const caught = await restarted.tick();
  assert.deepEqual(caught.map((r) => [r.run.job, r.run.trigger, r.run.scheduled_for?.toISOString()]), [
    ['benefits.sweep', 'catch_up', '2026-11-12T22:00:00.000Z'],
    ['cases.escalate', 'catch_up', '2026-11-13T02:00:00.000Z'],
  ]);
  await Promise.all(caught.map((r) => r.done));
  assert.deepEqual(await restarted.tick(), []);
  await restarted.stop();
  assert.equal((await runs('benefits.sweep')).length, 2); // not one per missed day
});

test('two API processes over one database: a slot runs once, and never two runs of a job at once', async () => {
  t.setNow('2026-11-20T20:00:00Z'); // 00:00 in Baku
  const a = gatedJob('test.gated');
  const b = gatedJob('test.gated');
  const sa = createScheduler(t.ctx, { jobs: [a.job], autoStart: false });
  const sb = createScheduler(other.ctx, { jobs: [b.job], autoStart: false });
  t.setNow('2026-11-20T23:00:05Z'); // 03:00:05: both processes notice the slot at once
  const [ra, rb] = await Promise.all([sa.tick(), sb.tick()]);
  assert.equal(ra.length + rb.length, 1);
  const running = [...ra, ...rb][0]!;
  // While it runs, neither process can start the job, even by hand.
  assert.equal(await startRun(t.ctx, a.job, 'manual', null), undefined);
  assert.equal(await startRun(other.ctx, b.job, 'manual', null), undefined);
  a.open();
  b.open();
  assert.equal((await running.done).status, 'succeeded');
  assert.deepEqual(await Promise.all([sa.tick(), sb.tick()]), [[], []]);
  const rows = await runs('test.gated');
  assert.equal(rows.length, 1);
  // Once it has finished, the other process may run it.
  const again = await startRun(other.ctx, gatedJob('test.gated').job, 'manual', null);
  assert.ok(again);
  await sb.stop(); // stops the other process's run: recorded as failed, not left running
  const stopped = await again.done;
  assert.equal(stopped.status, 'failed');
  assert.match(stopped.error ?? '', /shut down/);
  await sa.stop();
});

test('a run left "running" by a process that died is marked failed when the job next starts', async () => {
  t.setNow('2026-11-21T10:00:00Z');
  await t.ctx.db.insertInto('scheduled_job_runs').values({ job: 'test.crash', trigger: 'manual', started_at: new Date('2026-11-21T09:00:00Z'), process: 'gone:1' }).execute();
  const g = gatedJob('test.crash');
  const r = await startRun(t.ctx, g.job, 'manual', null);
  assert.ok(r);
  g.open();
  await r.done;
  const rows = await runs('test.crash');
  assert.deepEqual(rows.map((x) => [x.status, x.error]), [['failed', 'abandoned: the process running it stopped'], ['succeeded', null]]);
});

test('administrators see the jobs and their runs and start one now; a second start while it runs is refused', async () => {
  const admin = await createUser(t.ctx.db, { roles: ['admin'] });
  const officer = await createUser(t.ctx.db, { roles: ['officer'] });
  t.setNow(new Date());
  const h = await t.login(admin.username, admin.password);
  const jobs = body<{ name: string; dailyAt: string }[]>(await t.app.inject({ url: '/api/admin/jobs', headers: h }));
  assert.deepEqual(jobs.map((j) => [j.name, j.dailyAt]), [['benefits.sweep', '02:00'], ['cases.escalate', '06:00']]);

  // Another process is running the sweep: "run now" answers 409 in the caller's language.
  const held = gatedJob('benefits.sweep');
  const busy = await startRun(other.ctx, held.job, 'manual', null);
  assert.ok(busy);
  const refused = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/benefits.sweep/runs', headers: { ...h, 'accept-language': 'az' } });
  assert.equal(refused.statusCode, 409, refused.body);
  assert.match(body<{ message: string }>(refused).message, /artıq icra olunur/);
  held.open();
  await busy.done;

  const res = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/benefits.sweep/runs', headers: h });
  assert.equal(res.statusCode, 202, res.body);
  const run = body<{ runId: number; status: string; trigger: string; startedBy: string }>(res);
  assert.equal(run.trigger, 'manual');
  assert.equal(run.startedBy, admin.user_id);
  let now = run;
  for (let i = 0; i < 300 && now.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    now = body(await t.app.inject({ url: `/api/admin/jobs/runs/${run.runId}`, headers: h }));
  }
  assert.equal(now.status, 'succeeded');
  const list = body<{ items: { runId: number; job: string }[]; total: number }>(await t.app.inject({ url: '/api/admin/jobs/runs?job=benefits.sweep', headers: h }));
  assert.equal(list.items[0]!.runId, run.runId);
  assert.ok(list.items.every((r) => r.job === 'benefits.sweep'));
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/jobs/no.such/runs', headers: h })).statusCode, 404);

  const oh = await t.login(officer.username, officer.password);
  assert.equal((await t.app.inject({ url: '/api/admin/jobs/runs', headers: oh })).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/jobs/benefits.sweep/runs', headers: oh })).statusCode, 403);
});
