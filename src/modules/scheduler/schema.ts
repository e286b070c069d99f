import { Type, type Static } from 'typebox';
import { Id, Page, PageQuery } from '../../platform/http/schemas.ts';

/** Job names: a module and what it does. */
const JOB_PATTERN = '^[a-z]+\\.[a-z_]+$';
export const JobName = Type.String({ pattern: JOB_PATTERN, maxLength: 64 });

export const JobRunOut = Type.Object({
  runId: Type.Integer(),
  job: Type.String(),
  trigger: Type.Enum(['schedule', 'catch_up', 'manual'], { description: 'schedule: its time came; catch_up: its time passed while no server ran; manual: an administrator started it' }),
  status: Type.Enum(['running', 'succeeded', 'failed']),
  scheduledFor: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  startedBy: Type.Union([Type.String(), Type.Null()]),
  process: Type.String({ description: 'host:pid of the API process that ran it' }),
  progressDone: Type.Integer(),
  progressTotal: Type.Union([Type.Integer(), Type.Null()]),
  summary: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'Counts the job reported, e.g. per benefit for the sweep' }),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type JobRunOut = Static<typeof JobRunOut>;

export const JobOut = Type.Object({
  name: Type.String(),
  description: Type.String(),
  dailyAt: Type.String({ description: 'HH:MM, Baku time' }),
  timeZone: Type.String(),
  nextDueAt: Type.String(),
  running: Type.Boolean(),
  lastRun: Type.Union([JobRunOut, Type.Null()]),
});
export type JobOut = Static<typeof JobOut>;

export const RunsQuery = Type.Object({ job: Type.Optional(JobName), ...PageQuery }, { additionalProperties: false });
export type RunsQuery = Static<typeof RunsQuery>;
export const RunsPage = Page(JobRunOut);

export const JobParams = Type.Object({ job: JobName });
export const RunParams = Type.Object({ runId: Id() });
