import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { ErrorBody } from '../../platform/http/schemas.ts';
import { QueueEventHub } from './events.ts';
import {
  AppointmentOut, BoardOut, BookBody, CallNextOut, CenterParams, CenterServiceOut, CheckInBody, ConfirmationParams, DailyReportOut,
  EventsQuery, HallOut, MyAppointmentsOut, IssueTicketBody, IssuedTicketOut, KioskTicketBody, MoveBody, ReportQuery, RosterBody, RosterOut, RosterParams,
  PublicAppointmentOut, PublicIssuedTicketOut, SatisfactionOut, SatisfactionQuery, ServeBody, SlotsOut, SlotsQuery, SurveyAnswerBody, SurveyOut, SurveyQuestion, SurveyQuestionsBody,
  TicketOut, TicketParams, TokenParams, TransferBody, UpdateWindowBody, WaitTimeOut, WindowOut, WindowParams,
} from './schema.ts';
import * as service from './service.ts';

/** Staff at a center: operators (also acting as volunteers at the door), managers, admins. */
const STAFF = ['operator', 'center_manager', 'admin'] as const;
const MANAGERS = ['center_manager', 'admin'] as const;
/** Kiosks are anonymous: limit per address so one device cannot flood the queue. */
const KIOSK_LIMIT = { max: 120, timeWindow: '1 minute' };
const CODE_LIMIT = { max: 30, timeWindow: '1 minute' };
const tags = ['queue'];
const KEY = Type.String({ minLength: 8, maxLength: 128, pattern: '^[\\w.:-]+$' });
/**
 * Creates (tickets, bookings) take an Idempotency-Key; optional for now so clients built before it
 * keep working — kiosks, tablets and the booking page should send one (see the report of issue 4).
 */
const OptionalKey = Type.Object({ 'idempotency-key': Type.Optional(KEY) });


/**
 * The front office over HTTP: kiosk, volunteer tablet, operator console, display board (SSE),
 * manager's hall and reports, appointments and satisfaction surveys.
 */
export function queueRoutes(app: App, ctx: AppContext): void {
  const hub = new QueueEventHub(ctx);
  app.addHook('preClose', async () => { await hub.close(); });

  // ---- public: portal, kiosk, display board ----
  app.get('/api/queue/wait-times', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Current waiting times at every open center', response: { 200: Type.Array(WaitTimeOut) } },
  }, async () => service.listWaitTimes(ctx));

  app.get('/api/queue/centers/:centerCode/services', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Kiosk menu: services at a center with letter, queue length and estimated wait', params: CenterParams, response: { 200: Type.Array(CenterServiceOut), '4xx': ErrorBody } },
  }, async (req) => service.listCenterServices(ctx, req.params.centerCode));

  app.post('/api/queue/centers/:centerCode/kiosk/tickets', {
    config: { auth: 'public', rateLimit: KIOSK_LIMIT },
    schema: { tags, summary: 'Kiosk: take a ticket for a service (the same answer whether or not the FIN is known)', params: CenterParams, headers: OptionalKey, body: KioskTicketBody, response: { 201: PublicIssuedTicketOut, '4xx': ErrorBody } },
  }, async (req, reply) => {
    const r = await service.issueTicketOnce(ctx, null, req.params.centerCode, req.body, req.headers['idempotency-key']);
    if (r.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(service.toPublicIssued(r.body));
  });

  app.post('/api/queue/centers/:centerCode/kiosk/check-in', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'Kiosk: check in an appointment by its code (front of the queue once due)', params: CenterParams, body: CheckInBody, response: { 201: PublicIssuedTicketOut, '4xx': ErrorBody } },
  }, async (req, reply) => reply.status(201).send(service.toPublicIssued(await service.checkInAppointment(ctx, null, req.params.centerCode, req.body.confirmation, requestLocale(req)))));

  app.get('/api/queue/centers/:centerCode/board', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Display board snapshot; follow /events from lastEventId', params: CenterParams, response: { 200: BoardOut, '4xx': ErrorBody } },
  }, async (req) => service.getBoard(ctx, req.params.centerCode));

  app.get('/api/queue/centers/:centerCode/events', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'Server-Sent Events of a center (ticket.issued/called/recalled/serving/finished/no_show/transferred, window.changed); resumes after Last-Event-ID',
      params: CenterParams, querystring: EventsQuery, response: { '4xx': ErrorBody },
    },
  }, async (req, reply) => {
    await service.getOpenCenter(ctx, req.params.centerCode);
    const header = req.headers['last-event-id'];
    const fromHeader = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    reply.hijack();
    await hub.stream(reply.raw, req.params.centerCode, fromHeader ?? req.query.lastEventId ?? 0);
  });

  // ---- surveys (link token from the slip's QR code, the SMS or the portal) ----
  app.get('/api/queue/surveys/:token', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'The satisfaction survey of a ticket', params: TokenParams, response: { 200: SurveyOut, '4xx': ErrorBody } },
  }, async (req) => service.getSurvey(ctx, req.params.token));

  app.post('/api/queue/surveys/:token', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'Rate the service (1–5, optional comment); once per ticket', params: TokenParams, body: SurveyAnswerBody, response: { 201: Type.Object({ ticketNumber: Type.String(), rating: Type.Integer() }), '4xx': ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await service.answerSurvey(ctx, req.params.token, req.body)));

  // ---- appointments ----
  app.get('/api/queue/slots', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Free appointment slots for a service on a day, nearest centers first', querystring: SlotsQuery, response: { 200: SlotsOut, '4xx': ErrorBody } },
  }, async (req) => service.listFreeSlots(ctx, req.query));

  app.post('/api/queue/appointments', {
    config: { auth: ['citizen', 'call_center_agent', 'operator', 'center_manager'] },
    schema: { tags, summary: 'Book an appointment (send an Idempotency-Key); the answer carries the confirmation code', headers: OptionalKey, body: BookBody, response: { 201: AppointmentOut, '4xx': ErrorBody } },
  }, async (req, reply) => {
    const r = await service.bookAppointmentOnce(ctx, requireActor(req), req.body, req.headers['idempotency-key']);
    if (r.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(r.body);
  });

  app.get('/api/queue/appointments/mine', {
    config: { auth: ['citizen'] },
    schema: { tags, summary: 'The signed-in citizen\'s own appointments: upcoming and recent, with center, service, time, status and code', response: { 200: MyAppointmentsOut, '4xx': ErrorBody } },
  }, async (req) => service.listMyAppointments(ctx, requireActor(req)));

  app.get('/api/queue/appointments/:confirmation', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'An appointment by its confirmation code', params: ConfirmationParams, response: { 200: PublicAppointmentOut, '4xx': ErrorBody } },
  }, async (req) => service.toPublicAppointment(await service.getAppointment(ctx, req.params.confirmation)));

  app.post('/api/queue/appointments/:confirmation/cancel', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'Cancel an appointment by its code', params: ConfirmationParams, response: { 200: PublicAppointmentOut, '4xx': ErrorBody } },
  }, async (req) => service.toPublicAppointment(await service.cancelAppointment(ctx, req.params.confirmation)));

  app.post('/api/queue/appointments/:confirmation/move', {
    config: { auth: 'public', rateLimit: CODE_LIMIT },
    schema: { tags, summary: 'Move an appointment to another slot, keeping its code', params: ConfirmationParams, body: MoveBody, response: { 200: PublicAppointmentOut, '4xx': ErrorBody } },
  }, async (req) => service.toPublicAppointment(await service.moveAppointment(ctx, req.params.confirmation, req.body)));

  // ---- volunteer tablet and operator console ----
  app.post('/api/queue/centers/:centerCode/tickets', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Volunteer: issue a ticket (may name the citizen and a priority)', params: CenterParams, headers: OptionalKey, body: IssueTicketBody, response: { 201: IssuedTicketOut, '4xx': ErrorBody } },
  }, async (req, reply) => {
    const r = await service.issueTicketOnce(ctx, requireActor(req), req.params.centerCode, req.body, req.headers['idempotency-key']);
    if (r.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(r.body);
  });

  app.post('/api/queue/centers/:centerCode/check-in', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Volunteer: check in an appointment by its code', params: CenterParams, body: CheckInBody, response: { 201: IssuedTicketOut, '4xx': ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await service.checkInAppointment(ctx, requireActor(req), req.params.centerCode, req.body.confirmation, requestLocale(req))));

  app.get('/api/queue/centers/:centerCode/hall', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Live hall: waiting, serving, longest wait, windows', params: CenterParams, response: { 200: HallOut, '4xx': ErrorBody } },
  }, async (req) => service.getHall(ctx, requireActor(req), req.params.centerCode));

  app.get('/api/queue/centers/:centerCode/windows', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Windows with their state, skills and current ticket', params: CenterParams, response: { 200: Type.Array(WindowOut), '4xx': ErrorBody } },
  }, async (req) => service.listWindows(ctx, requireActor(req), req.params.centerCode));

  app.post('/api/queue/centers/:centerCode/windows/:windowNo/call-next', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Call the next ticket to a window; returns it with the citizen\'s open applications', params: WindowParams, response: { 200: CallNextOut, '4xx': ErrorBody } },
  }, async (req) => service.callNextTicket(ctx, requireActor(req), req.params.centerCode, req.params.windowNo));

  app.get('/api/queue/tickets/:ticketId', {
    config: { auth: STAFF },
    schema: { tags, summary: 'A ticket with every transition time', params: TicketParams, response: { 200: TicketOut, '4xx': ErrorBody } },
  }, async (req) => service.getTicket(ctx, requireActor(req), req.params.ticketId));

  const actions = [['recall', 'recall'], ['serve', 'serve'], ['finish', 'finish'], ['no-show', 'no_show']] as const;
  for (const [path, action] of actions) {
    app.post(`/api/queue/tickets/:ticketId/${path}`, {
      config: { auth: STAFF },
      schema: { tags, summary: `Ticket: ${action.replace('_', '-')} (409 with the current status when out of order)`, params: TicketParams, body: ServeBody, response: { 200: TicketOut, '4xx': ErrorBody } },
    }, async (req) => service.actOnTicket(ctx, requireActor(req), req.params.ticketId, action, req.body ?? {}));
  }

  app.post('/api/queue/tickets/:ticketId/transfer', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Transfer a ticket to another window and/or service; it keeps its place in the queue', params: TicketParams, body: TransferBody, response: { 200: TicketOut, '4xx': ErrorBody } },
  }, async (req) => service.actOnTicket(ctx, requireActor(req), req.params.ticketId, 'transfer', req.body));

  // ---- manager ----
  app.patch('/api/queue/centers/:centerCode/windows/:windowNo', {
    config: { auth: MANAGERS },
    schema: { tags, summary: 'Open or close a window, change its skills', params: WindowParams, body: UpdateWindowBody, response: { 200: WindowOut, '4xx': ErrorBody } },
  }, async (req) => service.updateWindow(ctx, requireActor(req), req.params.centerCode, req.params.windowNo, req.body));

  app.get('/api/queue/centers/:centerCode/report', {
    config: { auth: ['center_manager', 'analyst', 'admin'] },
    schema: { tags, summary: 'Daily figures: served, wait and service time (mean, p90), no-shows, satisfaction; per service and operator', params: CenterParams, querystring: ReportQuery, response: { 200: DailyReportOut, '4xx': ErrorBody } },
  }, async (req) => service.getDailyReport(ctx, requireActor(req), req.params.centerCode, req.query.date));

  app.get('/api/queue/satisfaction', {
    config: { auth: ['center_manager', 'analyst', 'admin'] },
    schema: { tags, summary: 'Satisfaction per center over a date range', querystring: SatisfactionQuery, response: { 200: SatisfactionOut, '4xx': ErrorBody } },
  }, async (req) => service.getSatisfaction(ctx, req.query.from, req.query.to));

  app.get('/api/queue/centers/:centerCode/survey-questions', {
    config: { auth: MANAGERS },
    schema: { tags, summary: 'The survey questions asked at a center', params: CenterParams, response: { 200: Type.Array(SurveyQuestion), '4xx': ErrorBody } },
  }, async (req) => service.getSurveyQuestions(ctx, requireActor(req), req.params.centerCode));

  app.put('/api/queue/centers/:centerCode/survey-questions', {
    config: { auth: MANAGERS },
    schema: { tags, summary: 'Replace the center\'s own survey questions (empty: the default set)', params: CenterParams, body: SurveyQuestionsBody, response: { 200: Type.Array(SurveyQuestion), '4xx': ErrorBody } },
  }, async (req) => service.setSurveyQuestions(ctx, requireActor(req), req.params.centerCode, req.body));

  app.get('/api/queue/centers/:centerCode/roster/:date', {
    config: { auth: STAFF },
    schema: { tags, summary: 'Who works at which window on a day', params: RosterParams, response: { 200: RosterOut, '4xx': ErrorBody } },
  }, async (req) => service.getRoster(ctx, requireActor(req), req.params.centerCode, req.params.date));

  app.put('/api/queue/centers/:centerCode/roster/:date', {
    config: { auth: MANAGERS },
    schema: { tags, summary: 'Replace the roster of a day', params: RosterParams, body: RosterBody, response: { 200: RosterOut, '4xx': ErrorBody } },
  }, async (req) => service.setRoster(ctx, requireActor(req), req.params.centerCode, req.params.date, req.body));
}
