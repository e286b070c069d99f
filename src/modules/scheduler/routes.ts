import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { ErrorBody } from '../../platform/http/schemas.ts';
import { JobOut, JobParams, JobRunOut, RunParams, RunsPage, RunsQuery } from './schema.ts';
import * as service from './service.ts';

/** Periodic jobs for administrators: what runs when, the runs with their progress and counts, and "run now". */
export function schedulerRoutes(app: App, ctx: AppContext): void {
  app.get('/api/admin/jobs', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'Periodic jobs: schedule (Baku time), next time due and latest run', response: { 200: Type.Array(JobOut), '4xx': ErrorBody } },
  }, async () => service.listJobs(ctx));

  app.get('/api/admin/jobs/runs', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'Runs of the periodic jobs, newest first', querystring: RunsQuery, response: { 200: RunsPage, '4xx': ErrorBody } },
  }, async (req) => service.listRuns(ctx, req.query));

  app.get('/api/admin/jobs/runs/:runId', {
    config: { auth: ['admin'] },
    schema: { tags: ['admin'], summary: 'One run, with its progress', params: RunParams, response: { 200: JobRunOut, '4xx': ErrorBody } },
  }, async (req) => service.getRun(ctx, req.params.runId));

  app.post('/api/admin/jobs/:job/runs', {
    config: { auth: ['admin'] },
    schema: {
      tags: ['admin'], summary: 'Run a job now (in the background); 409 while a run of it is under way in any API process',
      params: JobParams, response: { 202: JobRunOut, '4xx': ErrorBody },
    },
  }, async (req, reply) => reply.status(202).send(await service.runJobNow(ctx, requireActor(req), req.params.job)));
}
