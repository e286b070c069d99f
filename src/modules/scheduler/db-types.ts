import type { ColumnType, Generated } from 'kysely';

// Row types of the scheduler's table (migrations/0018_scheduler.sql), added to the DB interface.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export type JobRunStatus = 'running' | 'succeeded' | 'failed';
export type JobRunTrigger = 'schedule' | 'catch_up' | 'manual';

export interface ScheduledJobRunsTable {
  run_id: Generated<number>;
  job: string;
  trigger: JobRunTrigger;
  scheduled_for: NullableTimestamp;
  status: Generated<JobRunStatus>;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  started_by: string | null;
  process: string;
  progress_done: Generated<number>;
  progress_total: number | null;
  summary: Json<Record<string, unknown>> | null;
  error: string | null;
}

declare module '../../platform/db-types.ts' {
  interface DB {
    scheduled_job_runs: ScheduledJobRunsTable;
  }
}
