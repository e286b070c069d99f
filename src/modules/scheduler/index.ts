/** Scheduler module: periodic jobs (the nightly benefits sweep, SLA escalation) safe with several API processes, and their runs. */
export { schedulerRoutes } from './routes.ts';
export { createScheduler, startRun, latestSlot, type Scheduler, type StartedRun } from './service.ts';
export { productJobs, type JobDefinition } from './jobs.ts';
