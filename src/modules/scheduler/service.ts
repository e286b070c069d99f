import { hostname } from 'node:os';
import type pg from 'pg';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { AppError, ERROR_CODES, notFound } from '../../platform/errors.ts';
import { format, type Locale, type Translated } from '../../platform/i18n.ts';
import { JobStopped, productJobs, type JobDefinition } from './jobs.ts';
import * as repo from './repository.ts';
import type { JobOut, JobRunOut, RunsQuery } from './schema.ts';

const PROCESS = `${hostname()}:${process.pid}`;
/** Advisory-lock class of the scheduler's locks (the second key is the job name's hash). */
const LOCK_CLASS = 7_101;

/**
 * Per open database: the jobs this process is running and how to stop them. On PGlite (one
 * process owns the database) this is the whole lock; on a server it sits before the advisory lock.
 */
const inFlight = new WeakMap<object, Map<string, { abort: AbortController; done: Promise<void> } | 'starting'>>();
const inFlightOf = (ctx: AppContext) => {
  let m = inFlight.get(ctx.database);
  if (!m) inFlight.set(ctx.database, (m = new Map()));
  return m;
};

/**
 * Takes the job's lock: in this process, and on a PostgreSQL server a session advisory lock
 * (`pg_try_advisory_lock`) on a connection held for the whole run, so no other API process can
 * run the job at the same time, and a process that dies releases it with its connection.
 * Returns the release, or undefined when someone holds it.
 */
async function tryLock(ctx: AppContext, job: string): Promise<(() => Promise<void>) | undefined> {
  const local = inFlightOf(ctx);
  if (local.has(job)) return undefined;
  local.set(job, 'starting'); // before any await: a concurrent start in this process sees it
  const pool = ctx.database.pool;
  let client: pg.PoolClient | undefined;
  try {
    if (pool) {
      client = await pool.connect();
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_CLASS, job]);
      if (!r.rows[0]?.ok) {
        client.release();
        local.delete(job);
        return undefined;
      }
    }
  } catch (e) {
    client?.release(e as Error);
    local.delete(job);
    throw e;
  }
  return async () => {
    local.delete(job);
    const c = client;
    client = undefined;
    if (!c) return;
    try {
      await c.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, job]);
      c.release();
    } catch (e) {
      c.release(e as Error); // a broken connection is dropped, which releases the lock too
    }
  };
}

/** A run that started, and the promise of its end. */
export interface StartedRun { run: repo.RunRow; done: Promise<repo.RunRow> }

/**
 * Starts a run of the job unless one is under way anywhere or the slot already has one: takes the
 * lock, records the run, and runs the job in the background, recording its progress, summary
 * counts or error. Returns undefined when it did not start.
 */
export async function startRun(ctx: AppContext, job: JobDefinition, trigger: 'schedule' | 'catch_up' | 'manual', scheduledFor: Date | null, startedBy: string | null = null): Promise<StartedRun | undefined> {
  const release = await tryLock(ctx, job.name);
  if (!release) return undefined;
  let run: repo.RunRow | undefined;
  try {
    // With the lock held nobody else runs this job: a row still 'running' was left by a dead process.
    await repo.failAbandonedRuns(ctx.db, job.name, ctx.now());
    run = await repo.insertRun(ctx.db, { job: job.name, trigger, scheduledFor, startedAt: ctx.now(), startedBy, process: PROCESS });
  } catch (e) {
    await release();
    throw e;
  }
  if (!run) {
    await release();
    return undefined;
  }
  const runId = run.run_id;
  const abort = new AbortController();
  const progress = async (done: number, total: number | null) => {
    await repo.updateProgress(ctx.db, runId, done, total).catch((e: unknown) => ctx.logger.warn({ err: e, job: job.name }, 'job progress not recorded'));
  };
  const finished = (async () => {
    try {
      const summary = await job.run(ctx, progress, abort.signal);
      ctx.logger.info({ job: job.name, runId }, 'job run succeeded');
      return await repo.finishRun(ctx.db, runId, { status: 'succeeded', finishedAt: ctx.now(), summary });
    } catch (e) {
      const message = e instanceof JobStopped ? e.message : e instanceof Error ? e.message : String(e);
      ctx.logger.error({ err: e, job: job.name, runId }, 'job run failed');
      return await repo.finishRun(ctx.db, runId, { status: 'failed', finishedAt: ctx.now(), error: message });
    } finally {
      await release();
    }
  })();
  inFlightOf(ctx).set(job.name, { abort, done: finished.then(() => undefined, () => undefined) });
  return { run, done: finished };
}

/** The latest time at or before `now` when a job due daily at 'HH:MM' Baku time was due. */
export function latestSlot(dailyAt: string, now: Date): Date {
  const [h, m] = dailyAt.split(':').map(Number) as [number, number];
  const baku = new Date(now.getTime() + 4 * 3600_000);
  let slot = Date.UTC(baku.getUTCFullYear(), baku.getUTCMonth(), baku.getUTCDate(), h - 4, m);
  if (slot > now.getTime()) slot -= 24 * 3600_000;
  return new Date(slot);
}

/** The scheduler of one API process: checks the jobs' times on a timer (or when a test calls tick). */
export interface Scheduler {
  /** Starts every job whose time has come (or was missed while no server ran, once); resolves when those that started have been recorded. */
  tick(): Promise<StartedRun[]>;
  /** Stops the timer and the runs this process has under way, and waits for them. */
  stop(): Promise<void>;
}

/**
 * Creates the scheduler for `jobs` (the product's by default). Every process may run one: a
 * slot's run is started by whichever process takes the job's lock first, and the slot's unique
 * key keeps it to one run. A slot missed while no server ran is caught up at the next start,
 * once — only if the job had run before it (a new installation does not run yesterday's slot).
 */
export function createScheduler(ctx: AppContext, opts: { jobs?: JobDefinition[]; intervalMs?: number; autoStart?: boolean } = {}): Scheduler {
  const jobs = opts.jobs ?? productJobs(ctx);
  const startedAt = ctx.now();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<StartedRun[]> | undefined;

  async function tickOnce(): Promise<StartedRun[]> {
    const now = ctx.now();
    const started: StartedRun[] = [];
    for (const job of jobs) {
      const slot = latestSlot(job.dailyAt, now);
      if (await repo.hasRunForSlot(ctx.db, job.name, slot)) continue;
      let trigger: 'schedule' | 'catch_up' = 'schedule';
      if (slot < startedAt) {
        if (!(await repo.ranBefore(ctx.db, job.name, slot))) continue;
        trigger = 'catch_up';
      }
      const r = await startRun(ctx, job, trigger, slot);
      if (r) started.push(r);
    }
    return started;
  }

  const scheduler: Scheduler = {
    tick() {
      ticking ??= tickOnce().finally(() => { ticking = undefined; });
      return ticking;
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ticking?.catch(() => undefined);
      const runs = [...inFlightOf(ctx).values()].filter((r) => r !== 'starting');
      for (const r of runs) r.abort.abort();
      await Promise.all(runs.map((r) => r.done));
    },
  };
  if (opts.autoStart !== false) {
    const run = () => void scheduler.tick().catch((e: unknown) => ctx.logger.error({ err: e }, 'scheduler tick failed'));
    timer = setInterval(run, opts.intervalMs ?? 30_000);
    timer.unref();
    run();
  }
  return scheduler;
}

const toRunOut = (r: repo.RunRow): JobRunOut => ({
  runId: r.run_id, job: r.job, trigger: r.trigger, status: r.status, scheduledFor: r.scheduled_for?.toISOString() ?? null,
  startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, startedBy: r.started_by, process: r.process,
  progressDone: r.progress_done, progressTotal: r.progress_total, summary: r.summary, error: r.error,
});

/** The jobs with their schedule, next due time and latest run. */
export async function listJobs(ctx: AppContext): Promise<JobOut[]> {
  const latest = new Map((await repo.latestRuns(ctx.db)).map((r) => [r.job, r]));
  const now = ctx.now();
  return productJobs(ctx).map((j) => {
    const last = latest.get(j.name);
    return {
      name: j.name, description: j.description, dailyAt: j.dailyAt, timeZone: 'Asia/Baku',
      nextDueAt: new Date(latestSlot(j.dailyAt, now).getTime() + 24 * 3600_000).toISOString(),
      running: last?.status === 'running', lastRun: last ? toRunOut(last) : null,
    };
  });
}

/** Runs, newest first. */
export async function listRuns(ctx: AppContext, q: RunsQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listRuns(ctx.db, { job: q.job, limit: pageSize, offset: (page - 1) * pageSize });
  return { items: rows.map(toRunOut), page, pageSize, total };
}

/** One run. */
export async function getRun(ctx: AppContext, runId: number): Promise<JobRunOut> {
  const r = await repo.findRun(ctx.db, runId);
  if (!r) throw notFound(`run ${runId}`);
  return toRunOut(r);
}

/** 409 CONFLICT in the caller's language: a run of the job is under way (details: /job, job_running). */
export class JobRunningError extends AppError {
  private readonly text: Translated;
  constructor(job: string, locale: Locale) {
    const text = {
      az: `${job} işi artıq icra olunur; bitdikdən sonra yenidən başladın`,
      ru: `задание ${job} уже выполняется; запустите снова, когда оно завершится`,
      en: `a run of ${job} is already under way; start it again when it has finished`,
    };
    super('CONFLICT', { what: text.en }, [{ field: '/job', code: 'job_running', message: text[locale] }]);
    this.text = text;
  }

  override localized(locale: Locale): string {
    return format(ERROR_CODES.CONFLICT[locale], { what: this.text[locale] });
  }
}

/**
 * An administrator starts a job now, in this process, in the background; the answer is the run
 * as recorded. Refused with CONFLICT while a run of the job is under way in any process.
 */
export async function runJobNow(ctx: AppContext, actor: Actor, jobName: string): Promise<JobRunOut> {
  const job = productJobs(ctx).find((j) => j.name === jobName);
  if (!job) throw notFound(`job ${jobName}`);
  const started = await startRun(ctx, job, 'manual', null, actor.userId);
  if (!started) throw new JobRunningError(jobName, actor.locale);
  started.done.catch(() => undefined);
  await recordAudit(ctx.db, actor, { action: 'job.run', citizenId: null, resource: `jobs/${jobName}/runs/${started.run.run_id}`, purpose: 'administrator started a periodic job' });
  return toRunOut(started.run);
}

export { productJobs };
