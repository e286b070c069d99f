/** Cases module: applications, their append-only history, the workflow table and SLAs. */
export { casesRoutes } from './routes.ts';
export { submitApplication, takeAction, getApplication, listOpenApplications } from './service.ts';
export { WORKFLOW, STATUSES, ACTIONS, ESCALATION, deriveState } from './workflow.ts';
export { escalateOverdueCases, type EscalationSummary } from './escalation.ts';
export { sampleAnswers } from './sample-answers.ts';
