import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { ErrorBody, Page } from '../../platform/http/schemas.ts';
import { ApplicationOut, ApplicationSummary, IdempotencyHeaders, InboxQuery, MyApplicationsQuery, ReferenceParams, StaffNotificationsPage, StaffNotificationsQuery, SubmitApplicationBody, TakeActionBody } from './schema.ts';
import * as service from './service.ts';
import * as escalation from './escalation.ts';

/** Applications: submit, follow, and work them through the workflow. */
export function casesRoutes(app: App, ctx: AppContext): void {
  app.post('/api/applications', {
    config: { auth: ['citizen', 'operator', 'call_center_agent'] },
    schema: {
      tags: ['applications'], summary: 'Submit an application (own, or on a citizen\'s behalf); needs an Idempotency-Key',
      headers: IdempotencyHeaders, body: SubmitApplicationBody, response: { 201: ApplicationOut, '4xx': ErrorBody },
    },
  }, async (req, reply) => {
    const r = await service.submitApplication(ctx, requireActor(req), req.body, req.headers['idempotency-key']);
    if (r.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(r.statusCode).send(r.body);
  });

  app.get('/api/applications/mine', {
    config: { auth: ['citizen'] },
    schema: { tags: ['applications'], summary: 'The signed-in citizen\'s applications', querystring: MyApplicationsQuery, response: { 200: Page(ApplicationSummary), '4xx': ErrorBody } },
  }, async (req) => service.listMyApplications(ctx, requireActor(req), req.query));

  app.get('/api/applications', {
    config: { auth: ['officer', 'center_manager', 'admin', 'operator', 'call_center_agent'] },
    schema: { tags: ['applications'], summary: 'Back-office inbox (audited)', querystring: InboxQuery, response: { 200: Page(ApplicationSummary), '4xx': ErrorBody } },
  }, async (req) => service.listInbox(ctx, requireActor(req), req.query));

  app.get('/api/applications/:reference', {
    config: { auth: ['citizen', 'operator', 'officer', 'call_center_agent', 'center_manager', 'admin'] },
    schema: { tags: ['applications'], summary: 'An application with its history and allowed actions', params: ReferenceParams, response: { 200: ApplicationOut, '4xx': ErrorBody } },
  }, async (req) => service.getApplication(ctx, requireActor(req), req.params.reference));

  app.post('/api/applications/:reference/actions', {
    config: { auth: ['citizen', 'operator', 'officer', 'call_center_agent', 'center_manager'] },
    schema: {
      tags: ['applications'], summary: 'Take a workflow action (see the workflow table in docs/api.md)',
      params: ReferenceParams, body: TakeActionBody, response: { 200: ApplicationOut, '4xx': ErrorBody },
    },
  }, async (req) => service.takeAction(ctx, requireActor(req), req.params.reference, req.body));

  app.get('/api/staff/notifications', {
    config: { auth: ['center_manager', 'admin'] },
    schema: {
      tags: ['applications'], summary: 'Notices to the signed-in supervisor: overdue cases escalated to them (their center\'s; head office sees all)',
      querystring: StaffNotificationsQuery, response: { 200: StaffNotificationsPage, '4xx': ErrorBody },
    },
  }, async (req) => escalation.listStaffNotifications(ctx, requireActor(req), req.query));
}
