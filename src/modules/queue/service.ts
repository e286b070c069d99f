import { randomBytes, randomInt } from 'node:crypto';
import type { Actor, AppContext } from '../../platform/context.ts';
import { hasRole } from '../../platform/context.ts';
import { bakuDate } from '../../platform/calendar.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, ERROR_CODES, notFound, validationError } from '../../platform/errors.ts';
import { format, type Locale, type Translated } from '../../platform/i18n.ts';
import { recordAudit } from '../../platform/audit.ts';
import { findStoredResponse, isUniqueViolation, requestHash } from '../../platform/idempotency.ts';
import { getCitizenSummaries } from '../registry/index.ts';
import { listOpenApplications } from '../cases/index.ts';
import { findCitizenIdByFin } from '../registry/index.ts';
import { listCurrentBenefits } from '../benefits/index.ts';
import * as repo from './repository.ts';
import type { TicketRow } from './repository.ts';
import type {
  AppointmentOut, BookBody, IssueTicketBody, KioskTicketBody, MoveBody, Priority, RosterBody, SlotsQuery, SurveyAnswerBody,
  SurveyQuestionsBody, TicketAction, TicketOut, TicketStatus, TransferBody, UpdateWindowBody,
} from './schema.ts';

/** An appointment is "due" (called before everyone else) from this many minutes before its start. */
export const DUE_GRACE_MINUTES = 10;
/** A booked appointment not checked in this many minutes after its slot ends becomes a no-show. */
export const APPOINTMENT_NO_SHOW_MINUTES = 15;
/** Share of the windows serving a service that appointments may take; the rest is for walk-ins. */
export const APPOINTMENT_SHARE = 0.25;
/** How far back service times are averaged for wait estimates. */
const SERVICE_TIME_WINDOW_MS = 7 * 86_400_000;
/** Fewer recent samples than this, and the catalog's counter time is used instead. */
const MIN_SAMPLES = 3;

const STAFF_ANY_CENTER = ['admin'] as const;

/** Which statuses each ticket action may start from; anything else is a 409 with the current status. */
export const TICKET_TRANSITIONS: Record<TicketAction, readonly TicketStatus[]> = {
  recall: ['called'],
  serve: ['called'],
  finish: ['serving'],
  no_show: ['called'],
  transfer: ['called', 'serving'],
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API shape of a ticket. */
export function toTicketOut(t: TicketRow): TicketOut {
  return {
    id: t.ticket_id, number: t.number, centerCode: t.center_code, serviceDate: t.service_date, serviceCode: t.service_code,
    status: t.status as TicketStatus, priority: t.priority as Priority, channel: t.channel,
    issuedAt: t.issued_at.toISOString(), queuedAt: t.queued_at.toISOString(), dueAt: iso(t.due_at), calledAt: iso(t.called_at),
    servingAt: iso(t.serving_at), finishedAt: iso(t.finished_at), noShowAt: iso(t.no_show_at), lastRecalledAt: iso(t.last_recalled_at),
    recalls: t.recalls, transferredAt: iso(t.transferred_at), transfers: t.transfers, windowNo: t.window_no, targetWindowNo: t.target_window_no,
    operatorUserId: t.operator_user_id, citizenId: t.citizen_id, applicationReference: t.application_reference,
    appointmentId: t.appointment_id, estimatedWaitMinutes: t.estimated_wait_minutes,
  };
}

const names = (r: { name_az: string; name_ru: string; name_en: string }) => ({ az: r.name_az, ru: r.name_ru, en: r.name_en });

/**
 * Runs a create in one transaction; with an Idempotency-Key the response is stored in the same
 * transaction, so a retry (a kiosk that lost the answer, a double tap) gets the first response
 * instead of a second ticket or booking, and concurrent retries race on the key's primary key.
 */
async function idempotent<T>(ctx: AppContext, scope: string, key: string | undefined, request: unknown, run: (trx: Db) => Promise<T>): Promise<{ body: T; replayed: boolean }> {
  if (!key) return { body: await ctx.db.transaction().execute(run), replayed: false };
  const hash = requestHash(request);
  const stored = await findStoredResponse<T>(ctx.db, scope, key, hash);
  if (stored) return { body: stored.body, replayed: true };
  try {
    const body = await ctx.db.transaction().execute(async (trx) => {
      const out = await run(trx);
      await trx.insertInto('idempotency_keys').values({ scope, key, request_hash: hash, status_code: 201, response: JSON.stringify(out) }).execute();
      return out;
    });
    return { body, replayed: false };
  } catch (e) {
    if (isUniqueViolation(e, 'idempotency_keys_pkey')) {
      const again = await findStoredResponse<T>(ctx.db, scope, key, hash);
      if (again) return { body: again.body, replayed: true };
    }
    throw e;
  }
}

// ---- centers ----

type CenterRow = NonNullable<Awaited<ReturnType<typeof repo.findCenter>>>;
/** Per database: centers already provisioned, with their row and when it was read (cached briefly: every call needs it). */
const centers = new WeakMap<object, Map<string, { row: CenterRow; at: number }>>();
const CENTER_CACHE_MS = 5_000;

/**
 * The center, open and with its windows and services in place (created on first use from the
 * centers table). Unknown → 404; not open (under construction, closed) → 409.
 */
export async function getOpenCenter(ctx: AppContext, centerCode: string): Promise<CenterRow> {
  let cache = centers.get(ctx.database);
  if (!cache) centers.set(ctx.database, (cache = new Map()));
  const hit = cache.get(centerCode);
  if (hit && Date.now() - hit.at < CENTER_CACHE_MS) return hit.row;
  const c = await repo.findCenter(ctx.db, centerCode);
  if (!c) throw notFound(`center ${centerCode}`);
  if (c.status !== 'open') throw centerNotOpen(centerCode, c.status);
  if (!hit && !(await repo.isProvisioned(ctx.db, centerCode))) await repo.provisionCenter(ctx.db, centerCode);
  cache.set(centerCode, { row: c, at: Date.now() });
  return c;
}

const centerNotOpen = (centerCode: string, status: string) => new AppError('CONFLICT', { what: `center ${centerCode} is ${status.replace('_', ' ')}` });

/**
 * Makes sure the center was provisioned (its windows and services exist) and is known, reading it
 * only the first time in this process. For call-next, which checks the center's status itself in
 * its one statement and must not pay a second round trip when the cached row grows old.
 */
async function ensureCenter(ctx: AppContext, centerCode: string) {
  if (!centers.get(ctx.database)?.has(centerCode)) await getOpenCenter(ctx, centerCode);
}

/** Staff act only at their own center (admins anywhere). */
function assertAtCenter(actor: Actor, centerCode: string) {
  if (!mayActAt(actor, centerCode)) throw new AppError('FORBIDDEN');
}

/**
 * Whether the actor works at the center. A record of another center (a ticket) answers as one
 * that does not exist, so its id tells nothing.
 */
const mayActAt = (actor: Actor, centerCode: string) => hasRole(actor, ...STAFF_ANY_CENTER) || actor.centerCode === centerCode;

/**
 * When a center has a roster for the day, only the operator rostered to a window may call or act
 * at it (center managers and admins may always). Without a roster for the day, any staff member
 * of the center may.
 */
async function assertRostered(db: Db, actor: Actor, centerCode: string, date: string, windowNo: number) {
  if (rosterExempt(actor)) return;
  const r = await repo.rosterFor(db, centerCode, date, actor.userId);
  if (!r.rostered || r.window_no === windowNo) return;
  throw notRostered(centerCode, date, windowNo, r.window_no);
}

const rosterExempt = (actor: Actor) => hasRole(actor, 'center_manager', 'admin');

function notRostered(centerCode: string, date: string, windowNo: number, rosteredTo: number | null) {
  const message = rosteredTo === null
    ? `you are not on the roster of ${centerCode} on ${date}`
    : `you are rostered to window ${rosteredTo}, not window ${windowNo}, at ${centerCode} on ${date}`;
  return new AppError('FORBIDDEN', {}, [{ field: '/windowNo', code: 'not_rostered', message }]);
}

/** Per database and center: the clock of the last appointment no-show sweep made by call-next. */
const noShowSweeps = new WeakMap<object, Map<string, number>>();

/**
 * Marks the center's overdue appointments as no-shows (lazily, when the hall, the slots or the
 * report are read; call-next does it at most once a minute per center and process).
 */
async function sweepAppointmentNoShows(ctx: AppContext, centerCode: string, throttle = false) {
  const now = ctx.now();
  if (!sweepDue(ctx, centerCode, now, throttle)) return 0;
  return repo.markAppointmentNoShows(ctx.db, centerCode, now, APPOINTMENT_NO_SHOW_MINUTES);
}

/** Whether a sweep is due (always, unless throttled and one ran in the last minute); notes it as done. */
function sweepDue(ctx: AppContext, centerCode: string, now: Date, throttle: boolean) {
  let last = noShowSweeps.get(ctx.database);
  if (!last) noShowSweeps.set(ctx.database, (last = new Map()));
  const prev = last.get(centerCode);
  if (throttle && prev !== undefined && now.getTime() >= prev && now.getTime() - prev < 60_000) return false;
  last.set(centerCode, now.getTime());
  return true;
}

async function getCenterService(db: Db, centerCode: string, serviceCode: string) {
  const s = await repo.findCenterService(db, centerCode, serviceCode);
  if (!s || !s.active) throw notFound(`service ${serviceCode} at center ${centerCode}`);
  return s;
}

async function appendEvent(db: Db, e: { center: string; at: Date; kind: string; ticket?: TicketRow; windowNo?: number | null; userId?: string | null; payload?: Record<string, unknown> }) {
  const t = e.ticket;
  const payload = t
    ? { ticketId: t.ticket_id, number: t.number, status: t.status, serviceCode: t.service_code, windowNo: t.window_no, targetWindowNo: t.target_window_no, ...e.payload }
    : (e.payload ?? {});
  return repo.insertEvent(db, {
    center_code: e.center, at: e.at, kind: e.kind, ticket_id: t?.ticket_id ?? null,
    window_no: e.windowNo ?? t?.window_no ?? null, user_id: e.userId ?? null, payload,
  });
}

// ---- wait estimate ----

/**
 * Minutes a new ticket for `serviceCode` (with `priority`) would wait. The windows that serve the
 * service are a multi-server queue: with `ahead` tickets they would call first and `idle` of
 * them free, the ticket is called at the (ahead − idle + 1)-th departure, and departures come
 * every mean-service-time ÷ windows on average. Service times are each service's mean over the
 * last week (the catalog's counter time when there are fewer than 3 samples). Null when no open
 * window serves it. The wait-estimate test replays a day and compares this with the actual wait.
 */
export async function estimateWait(db: Db, centerCode: string, serviceCode: string, priority: Priority, now: Date) {
  return estimateFrom(await loadWaitSnapshot(db, centerCode, now, [serviceCode]), serviceCode, priority, now);
}

/** What a wait estimate reads: a center's windows, its open tickets of the day and the service times. */
interface WaitSnapshot {
  windows: Awaited<ReturnType<typeof repo.listWindows>>;
  open: TicketRow[];
  minutesOf: (serviceCode: string) => number;
}

/** Reads what {@link estimateFrom} needs, once for any number of services (four queries). */
async function loadWaitSnapshot(db: Db, centerCode: string, now: Date, serviceCodes: string[]): Promise<WaitSnapshot> {
  const date = bakuDate(now);
  const [windows, open, recent] = await Promise.all([
    repo.listWindows(db, centerCode),
    repo.listDayTickets(db, centerCode, date, ['waiting', 'called', 'serving']),
    repo.recentServiceMinutes(db, centerCode, new Date(now.getTime() - SERVICE_TIME_WINDOW_MS)),
  ]);
  const catalog = await repo.counterMinutes(db, [...new Set([...serviceCodes, ...open.map((t) => t.service_code)])]);
  const mean = new Map(recent.filter((r) => r.n >= MIN_SAMPLES).map((r) => [r.service_code, r.minutes]));
  return { windows, open, minutesOf: (s: string) => mean.get(s) ?? Math.max(1, catalog.get(s) ?? 10) };
}

/** The estimate of {@link estimateWait} over a snapshot already read (pure). */
function estimateFrom(snap: WaitSnapshot, serviceCode: string, priority: Priority, now: Date) {
  const { open, minutesOf } = snap;
  const windows = snap.windows.filter((w) => w.is_open && w.skills.includes(serviceCode));
  if (windows.length === 0) return { minutes: null, ahead: open.filter((t) => t.status === 'waiting' && t.service_code === serviceCode).length };
  const skills = new Set(windows.flatMap((w) => w.skills));
  const windowNos = new Set(windows.map((w) => w.window_no));
  const rank = repo.PRIORITY_RANK[priority];
  let work = 0;
  let ahead = 0;
  let busy = 0;
  for (const t of open) {
    if (t.status === 'waiting') {
      if (!skills.has(t.service_code)) continue;
      if (t.target_window_no !== null && !windowNos.has(t.target_window_no)) continue;
      const r = t.priority === 'appointment' && t.due_at && t.due_at.getTime() > now.getTime() + DUE_GRACE_MINUTES * 60_000 ? 4 : repo.PRIORITY_RANK[t.priority as Priority];
      if (r > rank) continue;
      ahead++;
      work += minutesOf(t.service_code);
    } else if (t.window_no !== null && windowNos.has(t.window_no)) {
      busy++;
      work += minutesOf(t.service_code);
    }
  }
  const idle = Math.max(0, windows.length - busy);
  if (ahead < idle) return { minutes: 0, ahead };
  const perTicket = ahead + busy > 0 ? work / (ahead + busy) : minutesOf(serviceCode);
  return { minutes: Math.round(((ahead - idle + 1) * perTicket) / windows.length), ahead };
}

// ---- tickets ----

interface IssueInput extends IssueTicketBody {
  channel: 'kiosk' | 'volunteer' | 'appointment';
  appointment?: { id: number; startsAt: Date };
}

/**
 * Refuses a ticket outside the center's opening hours today (Baku time; public holidays and
 * weekends closed, working Saturdays open by the holiday file): a kiosk left on in an empty hall
 * issues nothing after closing.
 */
function assertOpenNow(ctx: AppContext, center: CenterRow, now: Date): void {
  const date = bakuDate(now);
  const hours = openingHours(ctx, center.hours, date);
  if (!hours) throw new AppError('CENTER_CLOSED_TODAY');
  const clock = bakuClock(now, date);
  if (clock < hours[0] || clock >= hours[1]) throw new AppError('CENTER_CLOSED', { hours: `${hours[0]}–${hours[1]}` });
}

async function issueTicketTx(ctx: AppContext, trx: Db, actor: Actor | null, centerCode: string, input: IssueInput) {
  const now = ctx.now();
  const date = bakuDate(now);
  assertOpenNow(ctx, await getOpenCenter(ctx, centerCode), now);
  const svc = await getCenterService(trx, centerCode, input.serviceCode);
  const priority: Priority = input.appointment ? 'appointment' : (input.priority ?? 'normal');
  const est = await estimateWait(trx, centerCode, input.serviceCode, priority, now);
  if (est.minutes === null) throw new AppError('CONFLICT', { what: `no open window at ${centerCode} serves ${input.serviceCode}` });
  const seq = await repo.nextTicketSeq(trx, centerCode, date, svc.letter);
  const ticket = await repo.insertTicket(trx, {
    center_code: centerCode, service_date: date, number: `${svc.letter}-${String(seq).padStart(3, '0')}`, service_code: input.serviceCode,
    priority, channel: input.channel, queued_at: now, issued_at: now, due_at: input.appointment?.startsAt ?? null,
    citizen_id: input.citizenId ?? null, application_reference: input.applicationReference ?? null,
    appointment_id: input.appointment?.id ?? null, estimated_wait_minutes: est.minutes, survey_token: randomBytes(18).toString('base64url'),
  });
  await appendEvent(trx, { center: centerCode, at: now, kind: 'ticket.issued', ticket, userId: actor?.userId ?? null });
  return { ticket, waitingAhead: est.ahead, estimatedWaitMinutes: est.minutes };
}

const issued = (r: Awaited<ReturnType<typeof issueTicketTx>>) => ({
  ticket: toTicketOut(r.ticket), waitingAhead: r.waitingAhead, estimatedWaitMinutes: r.estimatedWaitMinutes, surveyToken: r.ticket.survey_token,
});

/**
 * What the public kiosk answers: the slip, without ids, citizen, operator or appointment. Built
 * from the same answer whether or not a FIN was given or found, so the answer never tells.
 */
export function toPublicIssued(r: ReturnType<typeof issued>) {
  const t = r.ticket;
  return {
    ticket: { number: t.number, centerCode: t.centerCode, serviceDate: t.serviceDate, serviceCode: t.serviceCode, status: t.status, priority: t.priority, issuedAt: t.issuedAt, dueAt: t.dueAt },
    waitingAhead: r.waitingAhead, estimatedWaitMinutes: r.estimatedWaitMinutes, surveyToken: r.surveyToken,
  };
}

/** An appointment on the public routes (its code is the caller's only proof): no citizen id. */
export function toPublicAppointment(a: AppointmentOut) {
  return { confirmation: a.confirmation, centerCode: a.centerCode, serviceCode: a.serviceCode, startsAt: a.startsAt, status: a.status, createdAt: a.createdAt };
}

/**
 * Issues a ticket for a walk-in: from the kiosk (no actor) or by a volunteer or operator on a
 * tablet (actor at this center, may name the citizen). The number is the service group's
 * letter and the day's sequence, e.g. B-047.
 */
export async function issueTicket(ctx: AppContext, actor: Actor | null, centerCode: string, body: IssueTicketBody) {
  return (await issueTicketOnce(ctx, actor, centerCode, body)).body;
}

/** {@link issueTicket} with an optional Idempotency-Key; says whether the answer is a replay. */
export async function issueTicketOnce(ctx: AppContext, actor: Actor | null, centerCode: string, body: IssueTicketBody | KioskTicketBody, idempotencyKey?: string) {
  await getOpenCenter(ctx, centerCode);
  if (actor) assertAtCenter(actor, centerCode);
  // At the kiosk a person may identify with their FIN; an unknown FIN just leaves the ticket
  // unlinked, so the public kiosk cannot be used to find out which FINs exist.
  const kioskCitizenId = !actor && 'fin' in body && body.fin ? await findCitizenIdByFin(ctx.db, body.fin) : undefined;
  const input: IssueInput = actor
    ? { ...(body as IssueTicketBody), channel: 'volunteer' }
    : { serviceCode: body.serviceCode, priority: body.priority, channel: 'kiosk', ...(kioskCitizenId !== undefined && { citizenId: kioskCitizenId }) };
  const scope = actor ? `${actor.userId}:queue.ticket` : `kiosk:${centerCode}:queue.ticket`;
  const r = await idempotent(ctx, scope, idempotencyKey, { centerCode, ...input }, async (trx) => issued(await issueTicketTx(ctx, trx, actor, centerCode, input)));
  menuChanged(ctx, centerCode);
  return r;
}

/** Baku wall-clock time of an instant, "HH:MM", with the date in front when it is not on `day`. */
function bakuClock(d: Date, day: string) {
  const local = new Date(d.getTime() + 4 * 3_600_000).toISOString();
  return bakuDate(d) === day ? local.slice(11, 16) : `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/**
 * A missed appointment's code at check-in: 409 CONFLICT, in the caller's language, telling the
 * citizen to take a normal ticket (details: field /confirmation, code appointment_missed).
 */
export class MissedAppointmentError extends AppError {
  constructor(private readonly text: Translated, locale: Locale, readonly stillBooked: boolean) {
    super('CONFLICT', { what: text.en }, [{ field: '/confirmation', code: 'appointment_missed', message: text[locale] }]);
  }

  override localized(locale: Locale): string {
    return format(ERROR_CODES.CONFLICT[locale], { what: this.text[locale] });
  }
}

function missedAppointment(code: string, startsAt: Date, closesAt: Date, now: Date, locale: Locale, stillBooked: boolean) {
  const day = bakuDate(now);
  const at = bakuClock(startsAt, day);
  const until = bakuClock(closesAt, day);
  const closed = closesAt < now;
  return new MissedAppointmentError({
    az: `${code} kodlu ${at} qəbulu buraxılıb${closed ? `: qeydiyyat ${until}-dək mümkün idi` : ''}. Zəhmət olmasa, kioskdan adi növbə talonu götürün`,
    ru: `запись ${code} на ${at} пропущена${closed ? `: отметиться можно было до ${until}` : ''}. Пожалуйста, возьмите обычный талон в киоске`,
    en: `the appointment ${code} at ${at} was missed${closed ? `: check-in closed at ${until}` : ''}. Please take a normal ticket at the kiosk`,
  }, locale, stillBooked);
}

/**
 * Checks in an appointment by its code: a ticket with appointment priority, called first once due.
 * Check-in is open until the appointment would become a no-show (its slot's end plus
 * APPOINTMENT_NO_SHOW_MINUTES); after that, or once it is a no-show, the code is refused with
 * 409 and the citizen is told to take a normal ticket, whether or not the no-show sweep has
 * marked it yet — a late citizen never goes to the front of the queue. A late code still
 * booked is marked as a no-show at once (its slot's place is given back).
 */
export async function checkInAppointment(ctx: AppContext, actor: Actor | null, centerCode: string, confirmation: string, locale: Locale = actor?.locale ?? 'az') {
  await getOpenCenter(ctx, centerCode);
  if (actor) assertAtCenter(actor, centerCode);
  let r;
  try {
    r = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.now();
      const a = await repo.lockAppointmentWithSlot(trx, confirmation);
      if (!a || a.center_code !== centerCode) throw notFound(`appointment ${confirmation} at ${centerCode}`);
      const closesAt = new Date(a.starts_at.getTime() + (a.slot_minutes + APPOINTMENT_NO_SHOW_MINUTES) * 60_000);
      if (a.status === 'no_show' || (a.status === 'booked' && closesAt < now)) throw missedAppointment(confirmation, a.starts_at, closesAt, now, locale, a.status === 'booked');
      if (a.status !== 'booked') throw new AppError('INVALID_TRANSITION', { action: 'check_in', status: a.status }, [{ field: '/status', code: a.status, message: `appointment ${confirmation} is ${a.status}` }]);
      const day = bakuDate(a.starts_at);
      if (day !== bakuDate(now)) throw new AppError('CONFLICT', { what: `appointment ${confirmation} is on ${day}` });
      const out = await issueTicketTx(ctx, trx, actor, centerCode, {
        serviceCode: a.service_code, channel: 'appointment', citizenId: a.citizen_id ?? undefined, appointment: { id: a.appointment_id, startsAt: a.starts_at },
      });
      await trx.updateTable('queue_appointments').set({ status: 'checked_in', updated_at: now }).where('appointment_id', '=', a.appointment_id).execute();
      return out;
    });
  } catch (e) {
    if (e instanceof MissedAppointmentError && e.stillBooked) await sweepAppointmentNoShows(ctx, centerCode);
    throw e;
  }
  menuChanged(ctx, centerCode);
  return issued(r);
}

/** What the operator sees with the called ticket: the citizen and their open applications (audited). */
async function citizenContext(ctx: AppContext, actor: Actor, t: TicketRow) {
  if (t.citizen_id === null) return { citizen: null, openApplications: [], benefits: [] };
  const citizenId = t.citizen_id;
  return ctx.db.transaction().execute(async (trx) => {
    const summary = (await getCitizenSummaries(trx, [citizenId])).get(citizenId) ?? null;
    const [openApplications, benefits] = await Promise.all([listOpenApplications(trx, citizenId), listCurrentBenefits(trx, citizenId, actor.locale)]);
    await recordAudit(trx, actor, { action: 'queue.call', citizenId, resource: `queue/tickets/${t.ticket_id}`, purpose: 'serve the citizen at the window' });
    return {
      citizen: summary,
      openApplications,
      benefits,
    };
  });
}

/**
 * Calls the next ticket to a window (see repository.callNext for the order). A window that
 * still holds a called or served ticket must finish it, mark a no-show or transfer it first.
 */
export async function callNextTicket(ctx: AppContext, actor: Actor, centerCode: string, windowNo: number) {
  await ensureCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  const now = ctx.now();
  const date = bakuDate(now);
  // One statement, one round trip: center and roster checks, window lock, pick and claim, the
  // throttled no-show sweep and the event, in the statement's own transaction.
  const r = await repo.callNext(ctx.db, {
    centerCode, date, windowNo, userId: actor.userId, rosterUser: rosterExempt(actor) ? null : actor.userId, now,
    dueBy: new Date(now.getTime() + DUE_GRACE_MINUTES * 60_000),
    sweepGraceMinutes: sweepDue(ctx, centerCode, now, true) ? APPOINTMENT_NO_SHOW_MINUTES : null,
  });
  // Refused before the window: the function did not sweep, so the next call may.
  if (r.outcome === 'no_center' || r.outcome === 'center_not_open' || r.outcome === 'not_rostered') noShowSweeps.get(ctx.database)?.delete(centerCode);
  switch (r.outcome) {
    case 'no_center':
      centers.get(ctx.database)?.delete(centerCode);
      throw notFound(`center ${centerCode}`);
    case 'center_not_open':
      centers.get(ctx.database)?.delete(centerCode);
      throw centerNotOpen(centerCode, r.status!);
    case 'not_rostered': throw notRostered(centerCode, date, windowNo, r.rosterWindow);
    case 'no_window': throw notFound(`window ${windowNo} at ${centerCode}`);
    case 'window_closed': throw new AppError('CONFLICT', { what: `window ${windowNo} is closed` });
    case 'busy': throw new AppError('CONFLICT', { what: `window ${windowNo} still has ticket ${r.busy!.number} (${r.busy!.status})` }, [{ field: '/ticket', code: r.busy!.status, message: r.busy!.number }]);
    case 'empty': return { ticket: null, citizen: null, openApplications: [], benefits: [] };
    case 'called': break;
  }
  menuChanged(ctx, centerCode);
  const ticket = r.ticket!;
  return { ticket: toTicketOut(ticket), ...(await citizenContext(ctx, actor, ticket)) };
}

/** Applies one action to a ticket under a row lock; out of order → 409 INVALID_TRANSITION, nothing changed. */
export async function actOnTicket(ctx: AppContext, actor: Actor, ticketId: number, action: TicketAction, body: TransferBody & { applicationReference?: string } = {}) {
  const out = await actOnTicketTx(ctx, actor, ticketId, action, body);
  menuChanged(ctx, out.centerCode);
  return out;
}

async function actOnTicketTx(ctx: AppContext, actor: Actor, ticketId: number, action: TicketAction, body: TransferBody & { applicationReference?: string }) {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const t = await repo.findTicket(trx, ticketId, true);
    if (!t || !mayActAt(actor, t.center_code)) throw notFound(`ticket ${ticketId}`);
    if (t.window_no !== null) await assertRostered(trx, actor, t.center_code, t.service_date, t.window_no);
    if (!TICKET_TRANSITIONS[action].includes(t.status as TicketStatus)) {
      throw new AppError('INVALID_TRANSITION', { action, status: t.status }, [{ field: '/status', code: t.status, message: `ticket ${t.number} is ${t.status}` }]);
    }
    let patch: Parameters<typeof repo.updateTicket>[2];
    let kind = `ticket.${action}`;
    switch (action) {
      case 'recall':
        patch = { last_recalled_at: now, recalls: t.recalls + 1 };
        kind = 'ticket.recalled';
        break;
      case 'serve':
        patch = { status: 'serving', serving_at: now, ...(body.applicationReference && { application_reference: body.applicationReference }) };
        kind = 'ticket.serving';
        break;
      case 'finish':
        patch = { status: 'done', finished_at: now, ...(body.applicationReference && { application_reference: body.applicationReference }) };
        kind = 'ticket.finished';
        break;
      case 'no_show':
        patch = { status: 'no_show', no_show_at: now };
        if (t.appointment_id !== null) await trx.updateTable('queue_appointments').set({ status: 'no_show', updated_at: now }).where('appointment_id', '=', t.appointment_id).execute();
        break;
      case 'transfer': {
        if (body.serviceCode === undefined && body.windowNo === undefined) throw validationError([{ field: '/serviceCode', code: 'required', message: 'serviceCode or windowNo' }]);
        const serviceCode = body.serviceCode ?? t.service_code;
        await getCenterService(trx, t.center_code, serviceCode);
        if (body.windowNo !== undefined) {
          const w = (await repo.listWindows(trx, t.center_code)).find((x) => x.window_no === body.windowNo);
          if (!w) throw notFound(`window ${body.windowNo} at ${t.center_code}`);
          if (!w.is_open) throw new AppError('CONFLICT', { what: `window ${body.windowNo} is closed` });
          if (!w.skills.includes(serviceCode)) throw new AppError('CONFLICT', { what: `window ${body.windowNo} does not serve ${serviceCode}` });
        } else if (!(await repo.listWindows(trx, t.center_code)).some((w) => w.is_open && w.skills.includes(serviceCode))) {
          throw new AppError('CONFLICT', { what: `no open window at ${t.center_code} serves ${serviceCode}` });
        }
        // Keeps queued_at: a transferred citizen does not go to the back of the queue.
        patch = { status: 'waiting', service_code: serviceCode, target_window_no: body.windowNo ?? null, transferred_at: now, transfers: t.transfers + 1 };
        kind = 'ticket.transferred';
        break;
      }
    }
    const updated = await repo.updateTicket(trx, ticketId, patch);
    await appendEvent(trx, { center: t.center_code, at: now, kind, ticket: updated, windowNo: t.window_no, userId: actor.userId });
    return toTicketOut(updated);
  });
}

/** One ticket, for staff of its center. */
export async function getTicket(ctx: AppContext, actor: Actor, ticketId: number) {
  const t = await repo.findTicket(ctx.db, ticketId);
  if (!t || !mayActAt(actor, t.center_code)) throw notFound(`ticket ${ticketId}`);
  return toTicketOut(t);
}

// ---- windows, hall, board, wait times ----

export async function listWindows(ctx: AppContext, actor: Actor, centerCode: string) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  return windowsWithTickets(ctx.db, centerCode, bakuDate(ctx.now()));
}

async function windowsWithTickets(db: Db, centerCode: string, date: string) {
  const [windows, active] = await Promise.all([repo.listWindows(db, centerCode), repo.listDayTickets(db, centerCode, date, ['called', 'serving'])]);
  const byWindow = new Map(active.map((t) => [t.window_no, t]));
  return windows.map((w) => {
    const t = byWindow.get(w.window_no);
    return {
      windowNo: w.window_no, isOpen: w.is_open, skills: w.skills,
      ticket: t ? { id: t.ticket_id, number: t.number, status: t.status, calledAt: iso(t.called_at) } : null,
      operatorUserId: t?.operator_user_id ?? null,
    };
  });
}

/**
 * Opens or closes a window and changes its skills, during the day (center managers); the rest of
 * the day's appointment slots follow (see followOpenWindows).
 */
export async function updateWindow(ctx: AppContext, actor: Actor, centerCode: string, windowNo: number, body: UpdateWindowBody) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  if (body.skills) {
    const offered = new Set((await repo.listCenterServices(ctx.db, centerCode)).map((s) => s.service_code));
    const bad = body.skills.map((s, i) => [s, i] as const).filter(([s]) => !offered.has(s));
    if (bad.length > 0) throw validationError(bad.map(([s, i]) => ({ field: `/skills/${i}`, code: 'unknown_service', message: `${s} is not offered at ${centerCode}` })));
  }
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const w = await repo.lockWindow(trx, centerCode, windowNo);
    if (!w) throw notFound(`window ${windowNo} at ${centerCode}`);
    const u = await repo.updateWindow(trx, centerCode, windowNo, { ...(body.isOpen !== undefined && { is_open: body.isOpen }), ...(body.skills && { skills: body.skills }) }, now);
    await followOpenWindows(trx, centerCode, now);
    await appendEvent(trx, { center: centerCode, at: now, kind: 'window.changed', windowNo, userId: actor.userId, payload: { windowNo, isOpen: u.is_open, skills: u.skills } });
  });
  menuChanged(ctx, centerCode);
  return (await windowsWithTickets(ctx.db, centerCode, bakuDate(ctx.now()))).find((w) => w.windowNo === windowNo)!;
}

const minutesSince = (now: Date, d: Date | undefined) => (d ? Math.max(0, Math.floor((now.getTime() - d.getTime()) / 60_000)) : 0);

/** The live hall for the manager and the volunteer tablet. */
export async function getHall(ctx: AppContext, actor: Actor, centerCode: string) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  await sweepAppointmentNoShows(ctx, centerCode);
  const now = ctx.now();
  const date = bakuDate(now);
  // Read before the snapshot: an event committed in between is replayed, never missed.
  const lastEventId = await repo.lastEventId(ctx.db, centerCode);
  const [tickets, windows, services] = await Promise.all([repo.listDayTickets(ctx.db, centerCode, date), windowsWithTickets(ctx.db, centerCode, date), repo.listCenterServices(ctx.db, centerCode)]);
  const letter = new Map(services.map((s) => [s.service_code, s.letter]));
  const count = (s: string) => tickets.filter((t) => t.status === s).length;
  const waiting = tickets.filter((t) => t.status === 'waiting');
  const waitingByLetter: Record<string, number> = {};
  for (const t of waiting) { const l = letter.get(t.service_code) ?? '?'; waitingByLetter[l] = (waitingByLetter[l] ?? 0) + 1; }
  const oldest = waiting.reduce<Date | undefined>((m, t) => (!m || t.issued_at < m ? t.issued_at : m), undefined);
  return {
    centerCode, serviceDate: date, lastEventId, waiting: waiting.length, called: count('called'), serving: count('serving'), done: count('done'), noShow: count('no_show'),
    longestWaitMinutes: minutesSince(now, oldest), windowsOpen: windows.filter((w) => w.isOpen).length, windowsTotal: windows.length, waitingByLetter, windows,
    queue: waiting.slice(0, 200).map((t) => ({ id: t.ticket_id, number: t.number, serviceCode: t.service_code, priority: t.priority, queuedAt: t.queued_at.toISOString(), targetWindowNo: t.target_window_no })),
  };
}

/** The display board's snapshot: recent calls, windows, waiting per letter, and the event id to follow from. */
export async function getBoard(ctx: AppContext, centerCode: string) {
  const c = await getOpenCenter(ctx, centerCode);
  const now = ctx.now();
  const date = bakuDate(now);
  const lastEventId = await repo.lastEventId(ctx.db, centerCode);
  const [tickets, windows, services] = await Promise.all([repo.listDayTickets(ctx.db, centerCode, date), windowsWithTickets(ctx.db, centerCode, date), repo.listCenterServices(ctx.db, centerCode)]);
  const letter = new Map(services.map((s) => [s.service_code, s.letter]));
  const waitingByLetter: Record<string, number> = {};
  for (const t of tickets) if (t.status === 'waiting') { const l = letter.get(t.service_code) ?? '?'; waitingByLetter[l] = (waitingByLetter[l] ?? 0) + 1; }
  const called = tickets.filter((t) => t.called_at && (t.status === 'called' || t.status === 'serving'))
    .sort((a, b) => (b.last_recalled_at ?? b.called_at!).getTime() - (a.last_recalled_at ?? a.called_at!).getTime()).slice(0, 20)
    .map((t) => ({ number: t.number, windowNo: t.window_no, status: t.status, calledAt: iso(t.last_recalled_at ?? t.called_at) }));
  return {
    centerCode, name: names(c), serviceDate: date, lastEventId, called,
    windows: windows.map((w) => ({ windowNo: w.windowNo, isOpen: w.isOpen, ticketNumber: w.ticket?.number ?? null })), waitingByLetter,
  };
}

type Menu = { serviceCode: string; letter: string; name: Translated; counterMinutes: number; waiting: number; openWindows: number; estimatedWaitMinutes: number | null }[];

/** A center's cached menu: the last one built, what it was built from, and the refresh under way. */
interface MenuEntry {
  menu?: Menu;
  eventId: number;
  minute: number;
  /** When the newest event id was last compared (0: a change made in this process is known). */
  checkedAt: number;
  /** Changes made in this process so far (menuChanged); a refresh that overlapped one is not taken as current. */
  changes: number;
  /** The refresh (or, for a center's first menu, the build) under way. */
  pending?: Promise<Menu>;
}
/**
 * Per database and center: the last menu computed, valid while the center's newest queue event
 * and the minute are the same. Every change a menu shows (a ticket issued, called, finished or
 * moved, a window opened, closed or given skills) appends a queue event, in every API process, so
 * one index look-up tells whether the menu is still right.
 */
const menus = new WeakMap<object, Map<string, MenuEntry>>();
/**
 * How long a menu is served without even reading the newest event id: changes made in this
 * process are seen by the next refresh at once (menuChanged), those of other API processes within this time.
 */
const MENU_FRESH_MS = 500;

/** After a change of the center's queue committed in this process: the next read refreshes the menu. */
function menuChanged(ctx: AppContext, centerCode: string) {
  const hit = menus.get(ctx.database)?.get(centerCode);
  if (hit) {
    hit.checkedAt = 0;
    hit.changes++;
  }
}

/**
 * The kiosk's menu: services offered here, their letter, how many wait and the estimated wait.
 * Read in four queries for every service at once, and reused until the center's next queue event.
 * Stale while revalidating: once a center has a menu, no request waits for the database. A read
 * that finds the menu possibly out of date (a change in this process, 500 ms since the last
 * check, a new minute) starts one refresh in the background — compare the newest event id,
 * rebuild if it moved — and, like every read while that runs, gets the menu it has (at most one
 * refresh old, tens of milliseconds). Only a center's very first menu is waited for. A busy hall,
 * where every ticket is an event and PGlite has one connection, so never queues kiosks behind
 * rebuilds (issue 8: p99 < 50 ms with 8 kiosks).
 */
export async function listCenterServices(ctx: AppContext, centerCode: string): Promise<Menu> {
  await getOpenCenter(ctx, centerCode);
  let cache = menus.get(ctx.database);
  if (!cache) menus.set(ctx.database, (cache = new Map()));
  const now = ctx.now();
  const minute = Math.floor(now.getTime() / 60_000);
  let entry = cache.get(centerCode);
  if (!entry) cache.set(centerCode, (entry = { eventId: -1, minute, checkedAt: 0, changes: 0 }));
  const fresh = entry.minute === minute && Date.now() - entry.checkedAt < MENU_FRESH_MS;
  if (!fresh && !entry.pending) entry.pending = refreshMenu(ctx, centerCode, entry, now, minute);
  if (entry.menu) return entry.menu;
  return entry.pending!;
}

/** Brings a center's cached menu up to date: one event-id read, and a rebuild only if it moved. */
async function refreshMenu(ctx: AppContext, centerCode: string, entry: MenuEntry, now: Date, minute: number): Promise<Menu> {
  const checkedAt = Date.now();
  const changes = entry.changes;
  try {
    const eventId = await repo.lastEventId(ctx.db, centerCode);
    if (!entry.menu || eventId > entry.eventId || minute !== entry.minute) {
      entry.menu = await buildMenu(ctx.db, centerCode, now);
      entry.eventId = eventId;
      entry.minute = minute;
    }
    // A change made in this process while this refresh ran may be missing from it: the next read refreshes again.
    entry.checkedAt = entry.changes === changes ? checkedAt : 0;
    return entry.menu;
  } catch (e) {
    if (!entry.menu) throw e; // nothing to serve: the caller gets the error
    ctx.logger.warn({ err: e, centerCode }, 'kiosk menu refresh failed; the previous menu is served');
    return entry.menu;
  } finally {
    entry.pending = undefined;
  }
}

async function buildMenu(db: Db, centerCode: string, now: Date): Promise<Menu> {
  const services = await repo.listCenterServices(db, centerCode);
  const snap = await loadWaitSnapshot(db, centerCode, now, services.map((s) => s.service_code));
  return services.map((s) => {
    const open = snap.windows.filter((w) => w.is_open && w.skills.includes(s.service_code)).length;
    return {
      serviceCode: s.service_code, letter: s.letter, name: names(s), counterMinutes: s.counter_minutes,
      waiting: snap.open.filter((t) => t.status === 'waiting' && t.service_code === s.service_code).length, openWindows: open,
      estimatedWaitMinutes: open === 0 ? null : estimateFrom(snap, s.service_code, 'normal', now).minutes,
    };
  });
}

/** Current waiting times at every open center, for the portal. */
export async function listWaitTimes(ctx: AppContext) {
  const now = ctx.now();
  const date = bakuDate(now);
  const out = [];
  for (const c of await repo.listOpenCenters(ctx.db)) {
    await getOpenCenter(ctx, c.center_code);
    const [windows, tickets] = await Promise.all([repo.listWindows(ctx.db, c.center_code), repo.listDayTickets(ctx.db, c.center_code, date, ['waiting', 'called', 'serving'])]);
    const open = windows.filter((w) => w.is_open);
    const waiting = tickets.filter((t) => t.status === 'waiting');
    const oldest = waiting.reduce<Date | undefined>((m, t) => (!m || t.issued_at < m ? t.issued_at : m), undefined);
    let estimate: number | null = null;
    if (open.length > 0) {
      const recent = await repo.recentServiceMinutes(ctx.db, c.center_code, new Date(now.getTime() - SERVICE_TIME_WINDOW_MS));
      const catalog = await repo.counterMinutes(ctx.db, [...new Set(tickets.map((t) => t.service_code))]);
      const mean = new Map(recent.filter((r) => r.n >= MIN_SAMPLES).map((r) => [r.service_code, r.minutes]));
      const m = (s: string) => mean.get(s) ?? Math.max(1, catalog.get(s) ?? 10);
      // The same multi-server estimate as estimateWait, over all open windows, for a normal walk-in.
      const busy = tickets.length - waiting.length;
      const idle = Math.max(0, open.length - busy);
      const perTicket = tickets.length > 0 ? tickets.reduce((sum, t) => sum + m(t.service_code), 0) / tickets.length : 10;
      estimate = waiting.length < idle ? 0 : Math.round(((waiting.length - idle + 1) * perTicket) / open.length);
    }
    out.push({ centerCode: c.center_code, name: names(c), kind: c.kind, waiting: waiting.length, windowsOpen: open.length, longestWaitMinutes: minutesSince(now, oldest), estimatedWaitMinutes: estimate });
  }
  return out;
}

// ---- reports ----

const figures = (r: repo.FigureRow | undefined) => ({
  issued: r?.issued ?? 0, served: r?.served ?? 0, noShows: r?.no_shows ?? 0,
  avgWaitMinutes: r?.avg_wait ?? null, p90WaitMinutes: r?.p90_wait ?? null, avgServiceMinutes: r?.avg_service ?? null, p90ServiceMinutes: r?.p90_service ?? null,
  ratings: r?.ratings ?? 0, avgRating: r?.avg_rating ?? null, satisfiedPct: r?.satisfied_pct ?? null,
});

/** A day's figures for a center: served, wait and service time (mean, 90th percentile), no-shows, satisfaction; per service and operator. */
export async function getDailyReport(ctx: AppContext, actor: Actor, centerCode: string, date?: string) {
  await getOpenCenter(ctx, centerCode);
  if (!hasRole(actor, 'analyst')) assertAtCenter(actor, centerCode);
  const day = date ?? bakuDate(ctx.now());
  await sweepAppointmentNoShows(ctx, centerCode);
  const [rows, missed] = await Promise.all([repo.dailyFigures(ctx.db, centerCode, day), repo.appointmentNoShows(ctx.db, centerCode, day)]);
  const operators = rows.filter((r) => r.grp === 'operator' && r.key);
  const nameOf = await repo.userNames(ctx.db, operators.map((r) => r.key!));
  // Appointments never checked in have no ticket: they add to the no-shows of the day and of their service.
  const missedBy = new Map(missed.map((m) => [m.service_code, m.n]));
  const total = figures(rows.find((r) => r.grp === 'total'));
  total.noShows += missed.reduce((n, m) => n + m.n, 0);
  const byService = rows.filter((r) => r.grp === 'service' && r.key).map((r) => ({ serviceCode: r.key!, ...figures(r) }));
  for (const [serviceCode, n] of missedBy) {
    const row = byService.find((s) => s.serviceCode === serviceCode);
    if (row) row.noShows += n;
    else byService.push({ serviceCode, ...figures(undefined), noShows: n });
  }
  return {
    centerCode, date: day, total, byService,
    byOperator: operators.map((r) => ({ operatorUserId: r.key!, operatorName: nameOf.get(r.key!) ?? null, ...figures(r) })),
  };
}

/** Satisfaction rolled up per center over a date range (inclusive, Baku days). */
export async function getSatisfaction(ctx: AppContext, from: string, to: string) {
  if (to < from) throw validationError([{ field: '/to', code: 'minimum', message: 'to is before from' }]);
  const start = new Date(`${from}T00:00:00+04:00`);
  const end = new Date(new Date(`${to}T00:00:00+04:00`).getTime() + 86_400_000);
  const rows = await repo.satisfactionByCenter(ctx.db, start, end);
  return { from, to, centers: rows.map((r) => ({ centerCode: r.center_code, responses: r.responses, avgRating: r.avg_rating, satisfiedPct: r.satisfied_pct })) };
}

// ---- surveys ----

async function questionsFor(db: Db, centerCode: string) {
  const rows = await db.selectFrom('queue_survey_questions').selectAll().where('active', '=', true)
    .where((eb) => eb.or([eb('center_code', '=', centerCode), eb('center_code', 'is', null)])).orderBy('position').execute();
  const own = rows.filter((r) => r.center_code === centerCode);
  return (own.length > 0 ? own : rows.filter((r) => r.center_code === null))
    .map((q) => ({ id: q.question_id, kind: q.kind as 'rating' | 'text' | 'yes_no', text: { az: q.text_az, ru: q.text_ru, en: q.text_en } }));
}

/** The survey behind a link token (SMS, QR code on the slip, kiosk). */
export async function getSurvey(ctx: AppContext, token: string) {
  const t = await repo.findTicketByToken(ctx.db, token);
  if (!t) throw notFound('survey');
  const answered = Boolean(await ctx.db.selectFrom('queue_survey_responses').select('ticket_id').where('ticket_id', '=', t.ticket_id).executeTakeFirst());
  return { ticketNumber: t.number, centerCode: t.center_code, serviceCode: t.service_code, status: t.status, answered, questions: await questionsFor(ctx.db, t.center_code) };
}

/** Records the one rating a served ticket may get, tied to its window, operator, service and center. */
export async function answerSurvey(ctx: AppContext, token: string, body: SurveyAnswerBody) {
  const t = await repo.findTicketByToken(ctx.db, token);
  if (!t) throw notFound('survey');
  if (t.status !== 'done') throw new AppError('INVALID_TRANSITION', { action: 'rate', status: t.status }, [{ field: '/status', code: t.status, message: `ticket ${t.number} is ${t.status}` }]);
  const valid = new Set((await questionsFor(ctx.db, t.center_code)).map((q) => String(q.id)));
  const unknown = Object.keys(body.answers ?? {}).filter((k) => !valid.has(k));
  if (unknown.length > 0) throw validationError(unknown.map((k) => ({ field: `/answers/${k}`, code: 'unknown_question', message: `question ${k}` })));
  try {
    await ctx.db.insertInto('queue_survey_responses').values({
      ticket_id: t.ticket_id, center_code: t.center_code, service_code: t.service_code, window_no: t.window_no, operator_user_id: t.operator_user_id,
      rating: body.rating, comment: body.comment?.trim() || null, answers: JSON.stringify(body.answers ?? {}), channel: body.channel ?? 'link', submitted_at: ctx.now(),
    }).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', { what: `ticket ${t.number} is already rated` });
    throw e;
  }
  return { ticketNumber: t.number, rating: body.rating };
}

export async function getSurveyQuestions(ctx: AppContext, actor: Actor, centerCode: string) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  return questionsFor(ctx.db, centerCode);
}

/** Replaces a center's own survey questions (an empty list falls back to the default set). */
export async function setSurveyQuestions(ctx: AppContext, actor: Actor, centerCode: string, body: SurveyQuestionsBody) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.lockCenterSet(trx, 'survey-questions', centerCode);
    await trx.updateTable('queue_survey_questions').set({ active: false }).where('center_code', '=', centerCode).where('active', '=', true).execute();
    if (body.questions.length > 0) {
      await trx.insertInto('queue_survey_questions').values(body.questions.map((q, i) => ({
        center_code: centerCode, position: i + 1, kind: q.kind, text_az: q.text.az, text_ru: q.text.ru, text_en: q.text.en,
      }))).execute();
    }
  });
  return questionsFor(ctx.db, centerCode);
}

// ---- rosters ----

export async function getRoster(ctx: AppContext, actor: Actor, centerCode: string, date: string) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  const rows = await ctx.db.selectFrom('queue_rosters').select(['window_no', 'user_id']).where('center_code', '=', centerCode).where('work_date', '=', date).orderBy('window_no').execute();
  return { centerCode, date, entries: rows.map((r) => ({ windowNo: r.window_no, userId: r.user_id })) };
}

/** Replaces the roster of a day: which operator sits at which window. */
export async function setRoster(ctx: AppContext, actor: Actor, centerCode: string, date: string, body: RosterBody) {
  await getOpenCenter(ctx, centerCode);
  assertAtCenter(actor, centerCode);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.lockCenterSet(trx, 'roster', centerCode, date);
      await trx.deleteFrom('queue_rosters').where('center_code', '=', centerCode).where('work_date', '=', date).execute();
      if (body.entries.length > 0) {
        await trx.insertInto('queue_rosters').values(body.entries.map((e) => ({ center_code: centerCode, work_date: date, window_no: e.windowNo, user_id: e.userId }))).execute();
      }
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '23503') throw validationError([{ field: '/entries', code: 'unknown', message: 'unknown window or user' }]);
    if (code === '23505') throw new AppError('CONFLICT', { what: 'a window or an operator appears twice on the roster' });
    throw e;
  }
  return getRoster(ctx, actor, centerCode, date);
}

// ---- appointments ----

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newConfirmationCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Opening hours of a center on a date from centers.hours ({"mon_fri": [...], "sat": [...]}), or null when closed (weekend, holiday). */
export function openingHours(ctx: AppContext, hours: unknown, date: string): [string, string] | null {
  const h = (hours ?? {}) as Record<string, [string, string] | undefined>;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekday = dow >= 1 && dow <= 5;
  if (weekday && !ctx.calendar.isWorkingDay(date)) return null; // a public holiday
  const own = h[DAY_KEYS[dow]!];
  if (own) return own;
  // A weekend day the holiday file makes a working day (a transferred day off) keeps weekday hours.
  return weekday || ctx.calendar.isWorkingDay(date) ? (h.mon_fri ?? null) : null;
}

/** Slot length for a service: its counter time rounded up to 5 minutes, at least 10. */
export const slotMinutes = (counterMinutes: number) => Math.max(10, Math.ceil(counterMinutes / 5) * 5);

/** Appointments a slot takes with `windows` open windows serving its service: a share of them, at least one while any does. */
export const slotCapacity = (windows: number) => (windows === 0 ? 0 : Math.max(1, Math.floor(windows * APPOINTMENT_SHARE)));

/** The slot capacity of a service from a center's windows as they are now. */
const capacityFrom = (windows: { is_open: boolean; skills: string[] }[], serviceCode: string) =>
  slotCapacity(windows.filter((w) => w.is_open && w.skills.includes(serviceCode)).length);

/**
 * Creates (once) the slots of a day for a service at a center; capacity = a share of the open
 * windows with the skill. Under the center's capacity lock, so a window change committing
 * meanwhile either is seen here or recomputes these slots after us.
 */
async function materializeSlots(ctx: AppContext, center: NonNullable<Awaited<ReturnType<typeof repo.findCenter>>>, serviceCode: string, date: string) {
  const hours = openingHours(ctx, center.hours, date);
  if (!hours) return [];
  const svc = await repo.findCenterService(ctx.db, center.center_code, serviceCode);
  if (!svc || !svc.active) return [];
  const from = new Date(`${date}T${hours[0]}:00+04:00`);
  const to = new Date(`${date}T${hours[1]}:00+04:00`);
  const existing = await repo.listSlots(ctx.db, center.center_code, serviceCode, from, to);
  if (existing.length > 0) return existing;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.lockSlotCapacity(trx, center.center_code);
    const capacity = capacityFrom(await repo.listWindows(trx, center.center_code), serviceCode);
    const minutes = slotMinutes(svc.counter_minutes);
    const rows = [];
    for (let t = from.getTime(); t + minutes * 60_000 <= to.getTime(); t += minutes * 60_000) {
      rows.push({ center_code: center.center_code, service_code: serviceCode, starts_at: new Date(t), minutes, capacity });
    }
    await repo.insertSlots(trx, rows);
  });
  return repo.listSlots(ctx.db, center.center_code, serviceCode, from, to);
}

/**
 * After a window opened, closed or changed skills: the slots of the rest of the day (not yet
 * begun) get the capacity the open windows now give. Bookings already made stay valid; those
 * above a lowered capacity are kept (kept_over_capacity) and no new booking is taken until the
 * slot is below its capacity again. Later days keep the capacity they were given.
 */
async function followOpenWindows(trx: Db, centerCode: string, now: Date) {
  await repo.lockSlotCapacity(trx, centerCode);
  const endOfDay = new Date(new Date(`${bakuDate(now)}T00:00:00+04:00`).getTime() + 86_400_000);
  const services = await repo.slotServices(trx, centerCode, now, endOfDay);
  if (services.length === 0) return;
  const windows = await repo.listWindows(trx, centerCode);
  await repo.setSlotCapacities(trx, centerCode, now, endOfDay, new Map(services.map((s) => [s, capacityFrom(windows, s)])));
}

/**
 * Free appointment slots for a service on a day at every open center offering it, nearest first:
 * centers serving the citizen's district, then centers in the same economic region, then the rest.
 */
export async function listFreeSlots(ctx: AppContext, q: SlotsQuery) {
  const now = ctx.now();
  const service = await ctx.db.selectFrom('services').select(['service_code', 'active', 'channels']).where('service_code', '=', q.service).executeTakeFirst();
  if (!service || !service.active) throw notFound(`service ${q.service}`);
  if (!service.channels.includes('center')) throw new AppError('CONFLICT', { what: `service ${q.service} is not delivered at centers` });
  let centers = await repo.listOpenCenters(ctx.db);
  if (q.center) {
    centers = centers.filter((c) => c.center_code === q.center);
    if (centers.length === 0) await getOpenCenter(ctx, q.center); // throws the right 404 / 409
  }
  const region = q.district ? await repo.districtRegion(ctx.db, q.district) : undefined;
  if (q.district && !region) throw notFound(`district ${q.district}`);
  const regions = await repo.centerRegions(ctx.db);
  const ranked = centers.map((c) => ({
    c, servesDistrict: q.district ? c.serves_districts.includes(q.district) : false, sameRegion: region ? regions.get(c.center_code) === region : false,
  })).sort((a, b) => Number(b.servesDistrict) - Number(a.servesDistrict) || Number(b.sameRegion) - Number(a.sameRegion) || a.c.center_code.localeCompare(b.c.center_code));
  const out = [];
  for (const r of ranked) {
    await getOpenCenter(ctx, r.c.center_code);
    await sweepAppointmentNoShows(ctx, r.c.center_code, true);
    const slots = (await materializeSlots(ctx, r.c, q.service, q.date)).filter((s) => s.starts_at > now && s.booked < s.capacity);
    if (slots.length === 0) continue;
    out.push({
      centerCode: r.c.center_code, name: names(r.c), servesDistrict: r.servesDistrict, sameRegion: r.sameRegion,
      slots: slots.map((s) => ({ startsAt: s.starts_at.toISOString(), minutes: s.minutes, free: s.capacity - s.booked })),
    });
  }
  return { serviceCode: q.service, date: q.date, centers: out };
}

const toAppointmentOut = (a: { confirmation_code: string; center_code: string; service_code: string; starts_at: Date; status: string; citizen_id: number | null; created_at: Date }): AppointmentOut => ({
  confirmation: a.confirmation_code, centerCode: a.center_code, serviceCode: a.service_code, startsAt: a.starts_at.toISOString(),
  status: a.status, citizenId: a.citizen_id, createdAt: a.created_at.toISOString(),
});

/** Makes sure a requested slot exists (materialising its day) and is in the future. */
async function slotFor(ctx: AppContext, centerCode: string, serviceCode: string, startsAt: Date) {
  const center = await getOpenCenter(ctx, centerCode);
  await getCenterService(ctx.db, centerCode, serviceCode);
  if (startsAt <= ctx.now()) throw new AppError('CONFLICT', { what: 'the slot has already begun' });
  const slots = await materializeSlots(ctx, center, serviceCode, bakuDate(startsAt));
  if (!slots.some((s) => s.starts_at.getTime() === startsAt.getTime())) throw notFound(`slot ${startsAt.toISOString()} at ${centerCode}`);
}

/**
 * Books an appointment. The slot's booked counter is raised only while below capacity, in one
 * UPDATE (and a CHECK forbids more), so concurrent bookings never overbook a slot.
 */
export async function bookAppointment(ctx: AppContext, actor: Actor, body: BookBody) {
  return (await bookAppointmentOnce(ctx, actor, body)).body;
}

/** {@link bookAppointment} with an Idempotency-Key; says whether the answer is a replay. */
export async function bookAppointmentOnce(ctx: AppContext, actor: Actor, body: BookBody, idempotencyKey?: string) {
  const startsAt = new Date(body.startsAt);
  const citizenId = hasRole(actor, 'call_center_agent', 'operator', 'center_manager') ? (body.citizenId ?? actor.citizenId) : actor.citizenId;
  await slotFor(ctx, body.centerCode, body.serviceCode, startsAt);
  return idempotent(ctx, `${actor.userId}:queue.book`, idempotencyKey, { ...body, citizenId }, async (trx) => {
    const taken = await repo.takeSlot(trx, body.centerCode, body.serviceCode, startsAt);
    if (!taken) throw new AppError('CONFLICT', { what: 'the slot is fully booked' });
    const now = ctx.now();
    const a = await trx.insertInto('queue_appointments').values({
      confirmation_code: newConfirmationCode(), center_code: body.centerCode, service_code: body.serviceCode, starts_at: startsAt,
      citizen_id: citizenId ?? null, booked_by: actor.userId, created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    if (citizenId != null) await recordAudit(trx, actor, { action: 'queue.book', citizenId, resource: `queue/appointments/${a.appointment_id}`, purpose: citizenId === actor.citizenId ? 'citizen books an appointment' : 'book an appointment for the citizen' });
    return toAppointmentOut(a);
  });
}

/** How far back a citizen's list of appointments goes. */
const MY_APPOINTMENTS_DAYS = 30;

/**
 * The signed-in citizen's own appointments: upcoming (booked, from today on) soonest first, and
 * the rest of the last 30 days newest first. Overdue bookings are marked as no-shows first.
 */
export async function listMyAppointments(ctx: AppContext, actor: Actor) {
  if (actor.citizenId == null) return { upcoming: [], recent: [] };
  const now = ctx.now();
  const from = new Date(now.getTime() - MY_APPOINTMENTS_DAYS * 86_400_000);
  let rows = await repo.citizenAppointments(ctx.db, actor.citizenId, from, 200);
  const overdue = new Set(rows.filter((r) => r.status === 'booked' && r.starts_at < now).map((r) => r.center_code));
  if (overdue.size > 0) {
    for (const c of overdue) await sweepAppointmentNoShows(ctx, c);
    rows = await repo.citizenAppointments(ctx.db, actor.citizenId, from, 200);
  }
  const today = new Date(`${bakuDate(now)}T00:00:00+04:00`);
  const out = rows.map((r) => ({
    confirmation: r.confirmation_code, centerCode: r.center_code, centerName: { az: r.center_az, ru: r.center_ru, en: r.center_en },
    serviceCode: r.service_code, serviceName: { az: r.service_az, ru: r.service_ru, en: r.service_en },
    startsAt: r.starts_at.toISOString(), status: r.status, createdAt: r.created_at.toISOString(),
  }));
  const isUpcoming = (a: (typeof out)[number]) => a.status === 'booked' && new Date(a.startsAt) >= today;
  return { upcoming: out.filter(isUpcoming), recent: out.filter((a) => !isUpcoming(a)).reverse().slice(0, 50) };
}

/** An appointment by its confirmation code (the code is the citizen's proof). */
export async function getAppointment(ctx: AppContext, code: string) {
  const a = await repo.findAppointment(ctx.db, code);
  if (!a) throw notFound(`appointment ${code}`);
  return toAppointmentOut(a);
}

export async function cancelAppointment(ctx: AppContext, code: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const a = await repo.findAppointment(trx, code, true);
    if (!a) throw notFound(`appointment ${code}`);
    if (a.status !== 'booked') throw new AppError('INVALID_TRANSITION', { action: 'cancel', status: a.status }, [{ field: '/status', code: a.status, message: `appointment ${code} is ${a.status}` }]);
    await repo.releaseSlot(trx, a.center_code, a.service_code, a.starts_at);
    const u = await trx.updateTable('queue_appointments').set({ status: 'cancelled', updated_at: ctx.now() }).where('appointment_id', '=', a.appointment_id).returningAll().executeTakeFirstOrThrow();
    return toAppointmentOut(u);
  });
}

/** Moves an appointment to another slot (same service), keeping its code; the old slot is freed only if the new one is taken. */
export async function moveAppointment(ctx: AppContext, code: string, body: MoveBody) {
  const a0 = await repo.findAppointment(ctx.db, code);
  if (!a0) throw notFound(`appointment ${code}`);
  const centerCode = body.centerCode ?? a0.center_code;
  const startsAt = new Date(body.startsAt);
  await slotFor(ctx, centerCode, a0.service_code, startsAt);
  return ctx.db.transaction().execute(async (trx) => {
    const a = await repo.findAppointment(trx, code, true);
    if (!a) throw notFound(`appointment ${code}`);
    if (a.status !== 'booked') throw new AppError('INVALID_TRANSITION', { action: 'move', status: a.status }, [{ field: '/status', code: a.status, message: `appointment ${code} is ${a.status}` }]);
    if (a.center_code === centerCode && a.starts_at.getTime() === startsAt.getTime()) return toAppointmentOut(a);
    // Both slots locked in slot order first: two moves in opposite directions, or a move and a
    // window change recomputing capacities, never deadlock.
    await repo.lockSlots(trx, [{ centerCode, serviceCode: a.service_code, startsAt }, { centerCode: a.center_code, serviceCode: a.service_code, startsAt: a.starts_at }]);
    const taken = await repo.takeSlot(trx, centerCode, a.service_code, startsAt);
    if (!taken) throw new AppError('CONFLICT', { what: 'the slot is fully booked' });
    await repo.releaseSlot(trx, a.center_code, a.service_code, a.starts_at);
    const u = await trx.updateTable('queue_appointments').set({ center_code: centerCode, starts_at: startsAt, updated_at: ctx.now() })
      .where('appointment_id', '=', a.appointment_id).returningAll().executeTakeFirstOrThrow();
    return toAppointmentOut(u);
  });
}
