import { recordAudit } from '../../platform/audit.ts';
import { bakuDate } from '../../platform/calendar.ts';
import type { Actor, AppContext, Role } from '../../platform/context.ts';
import { hasRole } from '../../platform/context.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import { publishEvent } from '../../platform/events.ts';
import { findStoredResponse, isUniqueViolation, requestHash } from '../../platform/idempotency.ts';
import { randomUUID } from 'node:crypto';
import { findOpenDecision } from '../benefits/index.ts';
import { getServiceRow, toServiceDetail, type FieldOut } from '../catalog/index.ts';
import { assertMayReadCitizen, getCitizenSummaries, normalizeFin, prefillJson, toCitizenSummary } from '../registry/index.ts';
import { validateAnswers } from './form-schema.ts';
import { applyApprovalEffects } from './approval-effects.ts';
import * as repo from './repository.ts';
import type { ApplicationOut, ApplicationSummary, InboxQuery, MyApplicationsQuery, SubmitApplicationBody, TakeActionBody } from './schema.ts';
import { allowedActions, deriveState, slaStatus, STATUS_TABLE, STATUSES, WORKFLOW, type Action, type ActionRecord, type Status, type Transition } from './workflow.ts';
import type { Db } from '../../platform/db.ts';

/** Staff who may open any application (each opening is audited). */
const CASE_READERS: readonly Role[] = ['operator', 'officer', 'call_center_agent', 'center_manager', 'admin'];

/** The channel an application arrives through, from who submits it. */
function channelFor(actor: Actor): 'online' | 'center' | 'call_center' {
  if (hasRole(actor, 'operator')) return 'center';
  if (hasRole(actor, 'call_center_agent')) return 'call_center';
  return 'online';
}

/** The refusal when a service's passport does not offer the channel an application arrives through. */
const CHANNEL_REFUSAL = { online: 'SERVICE_NOT_ONLINE', center: 'SERVICE_NOT_AT_CENTER', call_center: 'SERVICE_NOT_BY_PHONE' } as const;

/** The role an actor acts in for a given action (the first of theirs the workflow allows). */
function actingRole(actor: Actor, t: Transition): Role | undefined {
  return actor.roles.find((r) => t.roles.includes(r));
}

/**
 * The API shape of an application's summary. A citizen's own view (`staffView` false) never
 * names the officer: no assignee id or name (staff views keep them).
 */
function toSummary(ctx: AppContext, r: repo.ApplicationListRow, staffView: boolean): ApplicationSummary {
  const today = bakuDate(ctx.now());
  const { slaState, workingDaysLeft } = slaStatus(r.status as Status, r.sla_due_on, today, ctx.calendar);
  return {
    reference: r.reference, citizenId: r.citizen_id, citizenName: `${r.last_name} ${r.first_name}`,
    serviceCode: r.service_code, serviceName: { az: r.name_az, ru: r.name_ru, en: r.name_en },
    status: r.status as Status, channel: r.channel, assisted: r.assisted, centerCode: r.center_code,
    assignedTo: staffView ? r.assigned_to : null, assignedToName: staffView ? r.assignee_name : null, submittedAt: r.submitted_at.toISOString(),
    statusSince: r.status_since.toISOString(), slaDueOn: r.sla_due_on, slaState, workingDaysLeft,
  };
}

/**
 * Submits an application for a service on a citizen's behalf or their own. The answers are
 * validated against the service's form; what the registry holds is filled in from it, never
 * taken from the applicant. Idempotent per (user, Idempotency-Key): a retry gets the application
 * the first request created, as it stands now.
 */
export async function submitApplication(ctx: AppContext, actor: Actor, body: SubmitApplicationBody, idempotencyKey: string) {
  const isStaff = hasRole(actor, 'operator', 'call_center_agent');
  let citizenId: number;
  if (isStaff) {
    if (body.citizenId === undefined) throw validationError([{ field: '/citizenId', code: 'required', message: 'citizenId' }]);
    citizenId = body.citizenId;
  } else {
    if (actor.citizenId == null) throw new AppError('FORBIDDEN');
    if (body.citizenId !== undefined && body.citizenId !== actor.citizenId) throw new AppError('FORBIDDEN');
    citizenId = actor.citizenId;
  }
  const scope = `${actor.userId}:applications.create`;
  const hash = requestHash({ ...body, citizenId });
  const replay = async () => {
    const stored = await findStoredResponse<{ reference: string }>(ctx.db, scope, idempotencyKey, hash);
    return stored && { statusCode: stored.statusCode, body: await getApplication(ctx, actor, stored.body.reference), replayed: true };
  };

  const svc = await getServiceRow(ctx, body.serviceCode);
  const detail = toServiceDetail(svc);
  const channel = channelFor(actor);
  if (!svc.active) throw new AppError('SERVICE_NOT_OFFERED');
  // Each channel files only what its passport offers through it: a center-only service is not
  // filed by phone, nor a phone-only one at a counter.
  if (!svc.channels.includes(channel)) {
    throw new AppError(svc.proactive ? 'SERVICE_PROACTIVE' : CHANNEL_REFUSAL[channel]);
  }
  const fields: FieldOut[] = detail.form.fields;
  // FINs are typed in any letter case and stored upper-case.
  const answers = Object.fromEntries(Object.entries(body.data).map(([k, v]) =>
    [k, typeof v === 'string' && fields.some((f) => f.name === k && f.type === 'fin') ? normalizeFin(v) : v]));
  const errors = validateAnswers(svc.service_code, fields, answers, actor.locale);
  if (errors.length > 0) throw validationError(errors);
  const centerCode = body.centerCode ?? (channel === 'center' ? actor.centerCode : null) ?? null;
  if (centerCode) {
    const c = await ctx.db.selectFrom('centers').select(['center_code', 'status']).where('center_code', '=', centerCode).executeTakeFirst();
    if (!c || c.status !== 'open') throw validationError([{ field: '/centerCode', code: 'unknown', message: `unknown or closed center ${centerCode}` }]);
  }
  assertMayReadCitizen(actor, citizenId);
  // No second case for a benefit the citizen already receives or has been offered.
  if (svc.benefit_id) {
    const open = await findOpenDecision(ctx.db, citizenId, svc.benefit_id, bakuDate(ctx.now()));
    if (open) throw open.kind === 'assignment' ? new AppError('BENEFIT_ALREADY_ASSIGNED', { from: open.periodFrom }) : new AppError('BENEFIT_OFFER_PENDING');
  }
  const prefillFields = fields.flatMap((f) => (f.prefill ? [{ name: f.name, key: f.prefill }] : []));
  const now = ctx.now();
  const submitRole = actingRole(actor, WORKFLOW.submit) ?? 'citizen';
  const state = deriveState([{ seq: 1, action: 'submit', at: now, actorUserId: actor.userId, data: {} }], svc.sla_working_days, ctx.calendar);
  const applicationId = randomUUID();
  let stored: repo.StoredSubmission | undefined;
  const year = Number(bakuDate(now).slice(0, 4));
  try {
    stored = await withUniqueReference(year, (reference) => repo.insertSubmission(ctx.db, {
      citizenId, applicationId, reference, serviceCode: svc.service_code, channel, centerCode,
      submittedBy: actor.userId, actorRole: submitRole, actorUsername: actor.username, actorRoles: actor.roles, assisted: isStaff,
      answers, prefill: prefillJson(prefillFields), at: now, slaDueOn: state.slaDueOn,
      auditPurpose: `${isStaff ? 'assisted application' : 'own application'}; form prefilled from the registry`,
      requestId: actor.requestId ?? null, ip: actor.ip ?? null,
      idempotency: { scope, key: idempotencyKey, hash },
    }));
  } catch (e) {
    if (isUniqueViolation(e, 'idempotency_keys_pkey')) {
      const r = await replay();
      if (r) return r;
    }
    throw e;
  }
  if (!stored) {
    const known = (await getCitizenSummaries(ctx.db, [citizenId])).get(citizenId);
    throw known ? new AppError('CONFLICT', { what: 'citizen is recorded as deceased' }) : notFound(`citizen ${citizenId}`);
  }
  const citizen = toCitizenSummary(stored);
  const { reference, data } = stored;
  const { slaState, workingDaysLeft } = slaStatus(state.status, state.slaDueOn, bakuDate(now), ctx.calendar);
  const out: ApplicationOut = {
    reference, citizenId, citizenName: `${citizen.lastName} ${citizen.firstName}`, serviceCode: svc.service_code,
    serviceName: detail.name, status: state.status, channel, assisted: isStaff, centerCode, assignedTo: null, assignedToName: null,
    submittedAt: now.toISOString(), statusSince: now.toISOString(), slaDueOn: state.slaDueOn, slaState, workingDaysLeft,
    data, decidedAt: null,
    actions: [{ seq: 1, action: 'submit', actorRole: submitRole, actorName: actor.displayName, at: now.toISOString(), comment: null, reason: null }],
    allowedActions: allowedActions(actor.roles, state.status, actor.citizenId === citizenId),
    service: { code: detail.code, name: detail.name, slaWorkingDays: detail.slaWorkingDays, form: detail.form },
    ...(hasRole(actor, ...CASE_READERS) && { citizen }),
  };
  return { statusCode: 201, body: out, replayed: false };
}

/** Draws a random reference for `insert` and draws again (up to 5 times) while it collides with an existing one. */
export async function withUniqueReference<T>(year: number, insert: (reference: string) => Promise<T>, draw?: (n: number) => number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insert(repo.newReference(year, draw));
    } catch (e) {
      if (attempt < 5 && isUniqueViolation(e, repo.REFERENCE_UNIQUE)) continue;
      throw e;
    }
  }
}

async function loadApplication(ctx: AppContext, actor: Actor, app: repo.ApplicationRow, audit: boolean): Promise<ApplicationOut> {
  const isOwn = actor.citizenId === app.citizen_id;
  const isStaff = hasRole(actor, ...CASE_READERS);
  // Someone else's application answers exactly as one that does not exist.
  if (!isOwn && !isStaff) throw notFound(`application ${app.reference}`);
  const [svc, actions, citizens] = await Promise.all([
    getServiceRow(ctx, app.service_code),
    repo.listActions(ctx.db, app.citizen_id, app.application_id),
    getCitizenSummaries(ctx.db, [app.citizen_id]),
  ]);
  const citizen = citizens.get(app.citizen_id)!;
  let assigneeName: string | null = null;
  if (app.assigned_to) assigneeName = (await repo.userHasRole(ctx.db, app.assigned_to, ['officer', 'center_manager', 'admin', 'operator']))?.display_name ?? null;
  if (audit && !isOwn) {
    await recordAudit(ctx.db, actor, { action: 'application.read', citizenId: app.citizen_id, resource: `applications/${app.reference}`, purpose: 'case work' });
  }
  const detail = toServiceDetail(svc);
  const summary = toSummary(ctx, { ...app, name_az: svc.name_az, name_ru: svc.name_ru, name_en: svc.name_en, sla_working_days: svc.sla_working_days,
    last_name: citizen.lastName, first_name: citizen.firstName, assignee_name: assigneeName }, isStaff);
  return {
    ...summary,
    data: app.data,
    decidedAt: app.decided_at ? app.decided_at.toISOString() : null,
    actions: actions.map((a) => ({
      seq: a.seq, action: a.action, actorRole: a.actor_role,
      // Citizens see the office (the actor's role), never the officer's name.
      actorName: isStaff || a.actor_user_id === actor.userId ? a.actor_name : null,
      at: a.at.toISOString(), comment: a.comment, reason: a.reason,
    })),
    allowedActions: allowedActions(actor.roles, app.status as Status, isOwn),
    service: { code: detail.code, name: detail.name, slaWorkingDays: detail.slaWorkingDays, form: detail.form },
    ...(isStaff && { citizen }),
  };
}

/** One application with its history and what the caller may do next. Staff reads are audited. */
export async function getApplication(ctx: AppContext, actor: Actor, reference: string): Promise<ApplicationOut> {
  const app = await repo.findApplicationByReference(ctx.db, reference);
  if (!app) throw notFound(`application ${reference}`);
  return loadApplication(ctx, actor, app, true);
}

/**
 * Takes a workflow action: checks it against the workflow table (status, role, own application,
 * required comment or reason), appends it to the history, and re-derives the status and SLA.
 * The row is locked for the duration, so two officers acting at once cannot both succeed from
 * the same status.
 */
export async function takeAction(ctx: AppContext, actor: Actor, reference: string, body: TakeActionBody): Promise<ApplicationOut> {
  const action = body.action as Exclude<Action, 'submit'>;
  const t: Transition = WORKFLOW[action];
  return ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const app = await repo.findApplicationByReference(trx, reference, true);
    if (!app) throw notFound(`application ${reference}`);
    const isOwn = actor.citizenId === app.citizen_id;
    if (!isOwn && !hasRole(actor, ...CASE_READERS)) throw notFound(`application ${reference}`);
    const role = actor.roles.find((r) => t.roles.includes(r) && (!t.ownOnly || r !== 'citizen' || isOwn));
    if (!role) throw new AppError('FORBIDDEN');
    if (!t.from.includes(app.status as Status)) throw new AppError('INVALID_TRANSITION', { action, status: app.status });
    if (body.expectedSeq !== undefined && body.expectedSeq !== app.last_seq) throw new AppError('STALE_VERSION');
    const missing = (t.requires ?? []).filter((r) => !body[r]);
    if (missing.length > 0) throw validationError(missing.map((m) => ({ field: `/${m}`, code: 'required', message: m })));
    const data: Record<string, unknown> = { ...(body.data ?? {}) };
    if (action === 'assign') {
      const assigneeId = typeof data.assigneeId === 'string' ? data.assigneeId : actor.userId;
      if (!/^[0-9a-f-]{36}$/i.test(assigneeId) || !(await repo.userHasRole(trx, assigneeId, ['officer']))) {
        throw validationError([{ field: '/data/assigneeId', code: 'unknown', message: 'not an active officer' }]);
      }
      data.assigneeId = assigneeId;
    }
    const svc = await getServiceRow(tctx, app.service_code);
    const history = await repo.listActions(trx, app.citizen_id, app.application_id);
    const now = ctx.now();
    const seq = app.last_seq + 1;
    const records: ActionRecord[] = [
      ...history.map((h) => ({ seq: h.seq, action: h.action as Action, at: h.at, actorUserId: h.actor_user_id, data: h.data })),
      { seq, action, at: now, actorUserId: actor.userId, data },
    ];
    const state = deriveState(records, svc.sla_working_days, ctx.calendar);
    await repo.insertAction(trx, {
      citizen_id: app.citizen_id, application_id: app.application_id, seq, action, actor_user_id: actor.userId, actor_role: role, at: now,
      comment: body.comment ?? null, reason: body.reason ?? null, data: JSON.stringify(data),
    });
    await repo.updateProjection(trx, app.citizen_id, app.application_id, {
      status: state.status, status_since: state.statusSince, assigned_to: state.assignedTo, sla_due_on: state.slaDueOn,
      decided_at: state.decidedAt, last_seq: seq, escalation_level: state.escalationLevel,
    });
    if (action === 'approve') await applyApprovalEffects(trx, actor, app, svc);
    await publishEvent(trx, 'cases.application.action_taken', { citizenId: app.citizen_id, applicationId: app.application_id, reference, action, status: state.status });
    await recordAudit(trx, actor, { action: `application.${action}`, citizenId: app.citizen_id, resource: `applications/${reference}`, purpose: 'case work' });
    const updated = (await repo.findApplicationByReference(trx, reference))!;
    return loadApplication(tctx, actor, updated, false);
  });
}

const pageOf = (q: { page?: number; pageSize?: number }) => {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
};

/** The signed-in citizen's applications. */
export async function listMyApplications(ctx: AppContext, actor: Actor, q: MyApplicationsQuery) {
  if (actor.citizenId == null) return { items: [], page: 1, pageSize: q.pageSize ?? 20, total: 0 };
  const p = pageOf(q);
  const { rows, total } = await repo.listApplications(ctx.db, { citizenId: actor.citizenId, status: q.status, sort: '-submittedAt', limit: p.limit, offset: p.offset });
  // A citizen reading their own applications is a read of personal data too: one row per page.
  await recordAudit(ctx.db, actor, { action: 'application.list_own', citizenId: actor.citizenId, resource: 'applications/mine', purpose: 'citizen reads their own applications' });
  return { items: rows.map((r) => toSummary(ctx, r, false)), page: p.page, pageSize: p.pageSize, total };
}

/**
 * The back-office inbox: filter by service, status, center, assignee and SLA due, sorted by
 * deadline by default. Operators see only their own center. Listing names is a read of
 * personal data, so each page is audited.
 */
export async function listInbox(ctx: AppContext, actor: Actor, q: InboxQuery) {
  const p = pageOf(q);
  const today = bakuDate(ctx.now());
  let slaDueBefore: string | undefined;
  let slaDueFrom: string | undefined;
  if (q.sla === 'overdue') slaDueBefore = prevDay(today);
  if (q.sla === 'today') { slaDueFrom = today; slaDueBefore = today; }
  if (q.sla === 'week') { slaDueFrom = today; slaDueBefore = ctx.calendar.addWorkingDays(today, 5); }
  const onlyOwnCenter = hasRole(actor, 'operator') && !hasRole(actor, 'officer', 'center_manager', 'admin');
  const centerCode = onlyOwnCenter ? actor.centerCode ?? '-' : q.center;
  const assignee = q.assignee === 'me' ? actor.userId : q.assignee;
  const { rows, total } = await repo.listApplications(ctx.db, {
    serviceCode: q.service, status: q.status, centerCode, assignee, slaDueBefore, slaDueFrom, citizenId: q.citizenId,
    reference: q.q && /^DOST-/i.test(q.q) ? q.q.toUpperCase() : undefined,
    sort: q.sort ?? 'slaDueOn', limit: p.limit, offset: p.offset,
  });
  if (rows.length > 0) {
    await recordAudit(ctx.db, actor, { action: 'application.list', citizenIds: rows.map((r) => r.citizen_id), resource: `applications?${rows.map((r) => r.reference).join(',')}`, purpose: 'inbox' });
  }
  return { items: rows.map((r) => toSummary(ctx, r, true)), page: p.page, pageSize: p.pageSize, total };
}

const prevDay = (d: string) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() - 1);
  return x.toISOString().slice(0, 10);
};


/** Statuses in which an application is still open (not final in the workflow table). */
const OPEN_STATUSES = STATUSES.filter((st) => !STATUS_TABLE[st].final);

/**
 * A citizen's open applications, newest first, for other modules (the window operator sees them
 * when a ticket is called). The caller audits the read.
 */
export async function listOpenApplications(db: Db, citizenId: number, limit = 20) {
  const rows = await repo.listApplicationsOfCitizen(db, citizenId, OPEN_STATUSES, limit);
  return rows.map((a) => ({ reference: a.reference, serviceCode: a.service_code, status: a.status as Status, submittedAt: a.submitted_at.toISOString(), slaDueOn: a.sla_due_on }));
}
