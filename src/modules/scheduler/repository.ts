import { sql, type Selectable } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { JobRunTrigger, ScheduledJobRunsTable } from './db-types.ts';

export type RunRow = Selectable<ScheduledJobRunsTable>;

/**
 * Marks a job's runs still 'running' as failed: called by the holder of the job's lock, so no
 * other process is running it and such a row was left by a process that stopped mid-run.
 */
export const failAbandonedRuns = (db: Db, job: string, at: Date) =>
  db.updateTable('scheduled_job_runs').set({ status: 'failed', finished_at: at, error: 'abandoned: the process running it stopped' })
    .where('job', '=', job).where('status', '=', 'running').execute();

/**
 * Inserts a running run. Returns undefined when the slot already has a run or the job a running
 * one (either unique index), so whoever inserts first runs it.
 */
export async function insertRun(db: Db, r: { job: string; trigger: JobRunTrigger; scheduledFor: Date | null; startedAt: Date; startedBy: string | null; process: string }) {
  const rows = await sql<RunRow>`
    insert into scheduled_job_runs (job, trigger, scheduled_for, started_at, started_by, process)
    values (${r.job}, ${r.trigger}, ${r.scheduledFor}, ${r.startedAt}, ${r.startedBy}, ${r.process})
    on conflict do nothing
    returning *`.execute(db);
  return rows.rows[0];
}

export const updateProgress = (db: Db, runId: number, done: number, total: number | null) =>
  db.updateTable('scheduled_job_runs').set({ progress_done: done, progress_total: total }).where('run_id', '=', runId).execute();

export const finishRun = (db: Db, runId: number, v: { status: 'succeeded' | 'failed'; finishedAt: Date; summary?: Record<string, unknown> | null; error?: string | null }) =>
  db.updateTable('scheduled_job_runs')
    .set({ status: v.status, finished_at: v.finishedAt, summary: v.summary === undefined || v.summary === null ? null : JSON.stringify(v.summary), error: v.error ?? null })
    .where('run_id', '=', runId).returningAll().executeTakeFirstOrThrow();

/** True when the slot has a run (whatever its outcome). */
export async function hasRunForSlot(db: Db, job: string, slot: Date): Promise<boolean> {
  return !!(await db.selectFrom('scheduled_job_runs').select('run_id').where('job', '=', job).where('scheduled_for', '=', slot).executeTakeFirst());
}

/** True when the job ran (any trigger) before `before`: the scheduler was live for it then. */
export async function ranBefore(db: Db, job: string, before: Date): Promise<boolean> {
  return !!(await db.selectFrom('scheduled_job_runs').select('run_id').where('job', '=', job).where('started_at', '<', before).executeTakeFirst());
}

export const findRun = (db: Db, runId: number) =>
  db.selectFrom('scheduled_job_runs').selectAll().where('run_id', '=', runId).executeTakeFirst();

/** Runs newest first, optionally of one job. */
export async function listRuns(db: Db, f: { job?: string; limit: number; offset: number }) {
  let q = db.selectFrom('scheduled_job_runs');
  if (f.job) q = q.where('job', '=', f.job);
  const rows = await q.selectAll().orderBy('started_at', 'desc').orderBy('run_id', 'desc').limit(f.limit).offset(f.offset).execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** The latest run of each job. */
export const latestRuns = (db: Db) =>
  db.selectFrom('scheduled_job_runs').selectAll().distinctOn('job').orderBy('job').orderBy('started_at', 'desc').orderBy('run_id', 'desc').execute();
