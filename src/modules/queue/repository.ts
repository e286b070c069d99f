import { sql, type Selectable } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { QueueTicketsTable } from './db-types.ts';
import type { Priority } from './schema.ts';

// The only SQL of the queue module.

export type TicketRow = Selectable<QueueTicketsTable>;

/** Rank of a priority class in the call order (lower is called first). */
export const PRIORITY_RANK: Record<Priority, number> = { appointment: 1, disability: 2, elderly: 3, normal: 4 };

export async function findCenter(db: Db, centerCode: string) {
  return db.selectFrom('centers').select(['center_code', 'kind', 'name_az', 'name_ru', 'name_en', 'status', 'windows', 'hours', 'district_code', 'serves_districts'])
    .where('center_code', '=', centerCode).executeTakeFirst();
}

export async function listOpenCenters(db: Db) {
  return db.selectFrom('centers').select(['center_code', 'kind', 'name_az', 'name_ru', 'name_en', 'status', 'windows', 'hours', 'district_code', 'serves_districts'])
    .where('status', '=', 'open').orderBy('center_code').execute();
}

export async function districtRegion(db: Db, districtCode: string) {
  return (await db.selectFrom('districts').select('region_code').where('district_code', '=', districtCode).executeTakeFirst())?.region_code;
}

export async function centerRegions(db: Db) {
  const rows = await db.selectFrom('centers').innerJoin('districts', 'districts.district_code', 'centers.district_code')
    .select(['centers.center_code', 'districts.region_code']).execute();
  return new Map(rows.map((r) => [r.center_code, r.region_code]));
}

export async function isProvisioned(db: Db, centerCode: string) {
  return Boolean(await db.selectFrom('queue_windows').select('window_no').where('center_code', '=', centerCode).limit(1).executeTakeFirst());
}

/**
 * Gives a center its services (every active service delivered at centers, lettered by catalog
 * category) and its windows (the count in the centers table, every window serving every
 * service). Idempotent; managers narrow window skills afterwards.
 */
export async function provisionCenter(db: Db, centerCode: string) {
  await sql`
    insert into queue_center_services (center_code, service_code, letter)
    select ${centerCode}, s.service_code, chr(64 + dense_rank() over (order by c.sort, c.category_code)::int)
      from services s join service_categories c using (category_code)
     where s.active and 'center' = any(s.channels)
    on conflict do nothing`.execute(db);
  await sql`
    insert into queue_windows (center_code, window_no, skills)
    select c.center_code, n, (select coalesce(array_agg(service_code order by service_code), '{}') from queue_center_services where center_code = c.center_code and active)
      from centers c cross join generate_series(1, greatest(c.windows, 1)) n
     where c.center_code = ${centerCode}
    on conflict do nothing`.execute(db);
}

export async function findCenterService(db: Db, centerCode: string, serviceCode: string) {
  return db.selectFrom('queue_center_services').innerJoin('services', 'services.service_code', 'queue_center_services.service_code')
    .select(['queue_center_services.service_code', 'letter', 'queue_center_services.active', 'counter_minutes', 'name_az', 'name_ru', 'name_en'])
    .where('center_code', '=', centerCode).where('queue_center_services.service_code', '=', serviceCode).executeTakeFirst();
}

export async function listCenterServices(db: Db, centerCode: string) {
  return db.selectFrom('queue_center_services').innerJoin('services', 'services.service_code', 'queue_center_services.service_code')
    .select(['queue_center_services.service_code', 'letter', 'counter_minutes', 'name_az', 'name_ru', 'name_en'])
    .where('center_code', '=', centerCode).where('queue_center_services.active', '=', true)
    .orderBy('letter').orderBy('queue_center_services.service_code').execute();
}

export async function listWindows(db: Db, centerCode: string) {
  return db.selectFrom('queue_windows').selectAll().where('center_code', '=', centerCode).orderBy('window_no').execute();
}

/**
 * Takes the window's lock until commit (the lock call-next takes: calls and changes at one window
 * take turns) and reads the window as committed by whoever held it before.
 */
export async function lockWindow(db: Db, centerCode: string, windowNo: number) {
  await sql`select queue_lock_window(${centerCode}, ${windowNo}::int)`.execute(db);
  return db.selectFrom('queue_windows').selectAll().where('center_code', '=', centerCode).where('window_no', '=', windowNo).executeTakeFirst();
}

export async function updateWindow(db: Db, centerCode: string, windowNo: number, patch: { is_open?: boolean; skills?: string[] }, at: Date) {
  return db.updateTable('queue_windows').set({ ...patch, updated_at: at })
    .where('center_code', '=', centerCode).where('window_no', '=', windowNo).returningAll().executeTakeFirstOrThrow();
}

/** Next sequence for a letter at a center on a day (atomic upsert; concurrent issuers never share a number). */
export async function nextTicketSeq(db: Db, centerCode: string, date: string, letter: string): Promise<number> {
  const r = await sql<{ last_seq: number }>`
    insert into queue_ticket_counters (center_code, service_date, letter, last_seq) values (${centerCode}, ${date}, ${letter}, 1)
    on conflict (center_code, service_date, letter) do update set last_seq = queue_ticket_counters.last_seq + 1
    returning last_seq`.execute(db);
  return r.rows[0]!.last_seq;
}

export async function insertTicket(db: Db, values: Parameters<ReturnType<Db['insertInto']>['values']>[0] & object) {
  return db.insertInto('queue_tickets').values(values as never).returningAll().executeTakeFirstOrThrow() as Promise<TicketRow>;
}

export async function findTicket(db: Db, ticketId: number, lock = false) {
  let q = db.selectFrom('queue_tickets').selectAll().where('ticket_id', '=', ticketId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findTicketByToken(db: Db, token: string) {
  return db.selectFrom('queue_tickets').selectAll().where('survey_token', '=', token).executeTakeFirst();
}

export async function updateTicket(db: Db, ticketId: number, patch: Partial<Record<keyof TicketRow, unknown>>) {
  return db.updateTable('queue_tickets').set(patch as never).where('ticket_id', '=', ticketId).returningAll().executeTakeFirstOrThrow();
}

/** What one call-next did (see migrations/0011: queue_call_next). */
export type CallNextOutcome = 'no_center' | 'center_not_open' | 'not_rostered' | 'no_window' | 'window_closed' | 'busy' | 'empty' | 'called';

/**
 * Calls the next ticket to a window in one statement and one round trip (the implicit
 * transaction of the statement): the database function checks the center and, for `rosterUser`,
 * the day's roster; takes the window's lock (see lockWindow); if it holds no called or served ticket, picks the next one
 * its skills match — tickets transferred to this window, due appointments, disability, elderly,
 * then first come first served; tickets transferred to another window are left to it — with
 * FOR UPDATE SKIP LOCKED, so many windows call at once without waiting on each other and without
 * two of them taking the same ticket; marks it called; runs the appointment no-show sweep when
 * `sweepGraceMinutes` is given; and appends the ticket.called event.
 */
export async function callNext(db: Db, p: { centerCode: string; date: string; windowNo: number; userId: string; rosterUser: string | null; now: Date; dueBy: Date; sweepGraceMinutes: number | null }) {
  const r = await sql<Partial<TicketRow> & { outcome: CallNextOutcome; detail_number: string | null; detail_status: string | null; roster_window: number | null }>`
    select f.outcome, f.detail_number, f.detail_status, f.roster_window, (f.ticket).*
      from queue_call_next(${p.centerCode}, ${p.windowNo}::int, ${p.date}::date, ${p.now}::timestamptz, ${p.dueBy}::timestamptz,
                           ${p.userId}::uuid, ${p.rosterUser}::uuid, ${p.sweepGraceMinutes}::int) f`.execute(db);
  const { outcome, detail_number, detail_status, roster_window, ...ticket } = r.rows[0]!;
  return {
    outcome, rosterWindow: roster_window, status: detail_status,
    busy: outcome === 'busy' ? { number: detail_number!, status: detail_status! } : undefined,
    ticket: outcome === 'called' ? (ticket as TicketRow) : undefined,
  };
}

/**
 * Appends a queue event. The per-center advisory lock, held to commit, is taken before the id is
 * drawn, so a center's event ids are in commit order and SSE replay after Last-Event-ID never
 * skips an event that committed late.
 */
export async function insertEvent(db: Db, e: { center_code: string; at: Date; kind: string; ticket_id: number | null; window_no: number | null; user_id: string | null; payload: Record<string, unknown> }) {
  const r = await sql<{ event_id: number }>`
    insert into queue_events (center_code, at, kind, ticket_id, window_no, user_id, payload)
    select ${e.center_code}, ${e.at}, ${e.kind}, ${e.ticket_id}, ${e.window_no}, ${e.user_id}, ${JSON.stringify(e.payload)}::jsonb
      from (select pg_advisory_xact_lock(hashtext(${`queue:${e.center_code}`}))) lock
    returning event_id`.execute(db);
  return r.rows[0]!;
}

export async function listEventsAfter(db: Db, centerCode: string, afterId: number, limit: number) {
  return db.selectFrom('queue_events').select(['event_id', 'kind', 'at', 'window_no', 'payload']).where('center_code', '=', centerCode)
    .where('event_id', '>', afterId).orderBy('event_id').limit(limit).execute();
}

export async function lastEventId(db: Db, centerCode: string) {
  const r = await db.selectFrom('queue_events').select((eb) => eb.fn.max('event_id').as('m')).where('center_code', '=', centerCode).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Tickets of a day at a center (the hall and the board). */
export async function listDayTickets(db: Db, centerCode: string, date: string, statuses?: string[]) {
  let q = db.selectFrom('queue_tickets').selectAll().where('center_code', '=', centerCode).where('service_date', '=', date);
  if (statuses) q = q.where('status', 'in', statuses);
  return q.orderBy('queued_at').orderBy('ticket_id').execute();
}

/** Mean service minutes per service over the recent finished tickets of a center. */
export async function recentServiceMinutes(db: Db, centerCode: string, since: Date) {
  const r = await sql<{ service_code: string; minutes: number; n: number }>`
    select service_code, avg(extract(epoch from finished_at - serving_at) / 60)::float8 as minutes, count(*)::int as n
      from queue_tickets
     where center_code = ${centerCode} and status = 'done' and finished_at >= ${since} and serving_at is not null
     group by service_code`.execute(db);
  return r.rows;
}

export async function counterMinutes(db: Db, serviceCodes: string[]) {
  if (serviceCodes.length === 0) return new Map<string, number>();
  const rows = await db.selectFrom('services').select(['service_code', 'counter_minutes']).where('service_code', 'in', serviceCodes).execute();
  return new Map(rows.map((r) => [r.service_code, r.counter_minutes]));
}

// ---- appointments ----

export async function insertSlots(db: Db, rows: { center_code: string; service_code: string; starts_at: Date; minutes: number; capacity: number }[]) {
  if (rows.length === 0) return;
  await db.insertInto('queue_slots').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function listSlots(db: Db, centerCode: string, serviceCode: string, from: Date, to: Date) {
  return db.selectFrom('queue_slots').selectAll().where('center_code', '=', centerCode).where('service_code', '=', serviceCode)
    .where('starts_at', '>=', from).where('starts_at', '<', to).orderBy('starts_at').execute();
}

/**
 * Serialises, per center and until commit, whatever sets slot capacities from the windows (a
 * window change recomputing them, a day's slots being created), so each reads the windows as the
 * one before it committed them.
 */
export async function lockSlotCapacity(db: Db, centerCode: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`queue-capacity:${centerCode}`}))`.execute(db);
}

/**
 * Serialises, until commit, the replacements of one set a center keeps (its survey questions, the
 * roster of a day): each replacement reads and writes the set as the one before it committed it,
 * so concurrent saves neither deadlock nor add up. Taken first in its transaction, and such a
 * transaction takes no other queue lock.
 */
export async function lockCenterSet(db: Db, set: 'survey-questions' | 'roster', centerCode: string, key = '') {
  await sql`select pg_advisory_xact_lock(hashtext(${`queue-${set}:${centerCode}:${key}`}))`.execute(db);
}

/** Services with slots at a center starting after `from` and before `to`. */
export async function slotServices(db: Db, centerCode: string, from: Date, to: Date) {
  const rows = await db.selectFrom('queue_slots').select('service_code').distinct().where('center_code', '=', centerCode)
    .where('starts_at', '>', from).where('starts_at', '<', to).execute();
  return rows.map((r) => r.service_code);
}

/**
 * Gives the slots of a center starting after `from` and before `to` the capacity of their
 * service. Bookings above a lowered capacity are kept and counted in kept_over_capacity; a slot
 * takes new bookings only while booked < capacity. Returns how many slots changed.
 */
export async function setSlotCapacities(db: Db, centerCode: string, from: Date, to: Date, capacities: Map<string, number>) {
  if (capacities.size === 0) return 0;
  // Row locks in slot order first (see lockSlots), then the update.
  await sql`select 1 from queue_slots s where s.center_code = ${centerCode} and s.starts_at > ${from} and s.starts_at < ${to}
             order by s.center_code, s.service_code, s.starts_at for update`.execute(db);
  const r = await sql`
    update queue_slots s set capacity = c.capacity, kept_over_capacity = greatest(s.booked - c.capacity, 0)
      from unnest(${[...capacities.keys()]}::text[], ${[...capacities.values()]}::int[]) as c(service_code, capacity)
     where s.center_code = ${centerCode} and s.service_code = c.service_code and s.starts_at > ${from} and s.starts_at < ${to}
       and (s.capacity <> c.capacity or s.kept_over_capacity <> greatest(s.booked - c.capacity, 0))`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Locks slot rows in one order (center, service, start), the order every statement that changes
 * more than one slot keeps, so two of them never wait on each other in a cycle.
 */
export async function lockSlots(db: Db, slots: { centerCode: string; serviceCode: string; startsAt: Date }[]) {
  await sql`
    select 1 from queue_slots s
      join unnest(${slots.map((x) => x.centerCode)}::text[], ${slots.map((x) => x.serviceCode)}::text[], ${slots.map((x) => x.startsAt)}::timestamptz[]) as k(center_code, service_code, starts_at)
        on s.center_code = k.center_code and s.service_code = k.service_code and s.starts_at = k.starts_at
     order by s.center_code, s.service_code, s.starts_at
       for update of s`.execute(db);
}

/** Takes one unit of a slot's capacity, or returns undefined when it is full or does not exist. */
export async function takeSlot(db: Db, centerCode: string, serviceCode: string, startsAt: Date) {
  return db.updateTable('queue_slots').set((eb) => ({ booked: eb('booked', '+', 1) }))
    .where('center_code', '=', centerCode).where('service_code', '=', serviceCode).where('starts_at', '=', startsAt)
    .whereRef('booked', '<', 'capacity').returning('booked').executeTakeFirst();
}

export async function releaseSlot(db: Db, centerCode: string, serviceCode: string, startsAt: Date) {
  await db.updateTable('queue_slots').set((eb) => ({ booked: eb('booked', '-', 1), kept_over_capacity: sql<number>`greatest(kept_over_capacity - 1, 0)` }))
    .where('center_code', '=', centerCode).where('service_code', '=', serviceCode).where('starts_at', '=', startsAt).execute();
}

/** An appointment with the length of its slot (when check-in closes), locked. */
export async function lockAppointmentWithSlot(db: Db, code: string) {
  return db.selectFrom('queue_appointments as a')
    .innerJoin('queue_slots as s', (j) => j.onRef('s.center_code', '=', 'a.center_code').onRef('s.service_code', '=', 'a.service_code').onRef('s.starts_at', '=', 'a.starts_at'))
    .selectAll('a').select('s.minutes as slot_minutes').where('a.confirmation_code', '=', code).forUpdate('a').executeTakeFirst();
}

export async function findAppointment(db: Db, code: string, lock = false) {
  let q = db.selectFrom('queue_appointments').selectAll().where('confirmation_code', '=', code);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

// ---- reports ----

export interface FigureRow {
  grp: string;
  key: string | null;
  issued: number;
  served: number;
  no_shows: number;
  avg_wait: number | null;
  p90_wait: number | null;
  avg_service: number | null;
  p90_service: number | null;
  ratings: number;
  avg_rating: number | null;
  satisfied_pct: number | null;
}

/** A day's figures at a center: in total, per service and per operator, in one pass. */
export async function dailyFigures(db: Db, centerCode: string, date: string) {
  const r = await sql<FigureRow>`
    select case when grouping(t.service_code) = 0 then 'service' when grouping(t.operator_user_id) = 0 then 'operator' else 'total' end as grp,
           coalesce(t.service_code, t.operator_user_id::text) as key,
           count(*)::int as issued,
           count(*) filter (where t.status = 'done')::int as served,
           count(*) filter (where t.status = 'no_show')::int as no_shows,
           round((avg(extract(epoch from t.called_at - t.issued_at)) / 60)::numeric, 2)::float8 as avg_wait,
           round((percentile_cont(0.9) within group (order by extract(epoch from t.called_at - t.issued_at)) / 60)::numeric, 2)::float8 as p90_wait,
           round((avg(extract(epoch from t.finished_at - t.serving_at)) / 60)::numeric, 2)::float8 as avg_service,
           round((percentile_cont(0.9) within group (order by extract(epoch from t.finished_at - t.serving_at)) / 60)::numeric, 2)::float8 as p90_service,
           count(s.rating)::int as ratings,
           round(avg(s.rating)::numeric, 2)::float8 as avg_rating,
           round((100.0 * count(*) filter (where s.rating >= 4) / nullif(count(s.rating), 0))::numeric, 1)::float8 as satisfied_pct
      from queue_tickets t left join queue_survey_responses s using (ticket_id)
     where t.center_code = ${centerCode} and t.service_date = ${date}
     group by grouping sets ((), (t.service_code), (t.operator_user_id))`.execute(db);
  return r.rows;
}

export async function satisfactionByCenter(db: Db, from: Date, to: Date) {
  const r = await sql<{ center_code: string; responses: number; avg_rating: number | null; satisfied_pct: number | null }>`
    select center_code, count(*)::int as responses, round(avg(rating)::numeric, 2)::float8 as avg_rating,
           round((100.0 * count(*) filter (where rating >= 4) / count(*))::numeric, 1)::float8 as satisfied_pct
      from queue_survey_responses where submitted_at >= ${from} and submitted_at < ${to}
     group by center_code order by center_code`.execute(db);
  return r.rows;
}

// ---- rosters ----

/** The roster of a center on a day: whether there is one at all, and the operator's window(s) on it. */
export async function rosterFor(db: Db, centerCode: string, date: string, userId: string) {
  const r = await sql<{ rostered: boolean; window_no: number | null }>`
    select exists (select 1 from queue_rosters where center_code = ${centerCode} and work_date = ${date}) as rostered,
           (select window_no from queue_rosters where center_code = ${centerCode} and work_date = ${date} and user_id = ${userId}) as window_no`.execute(db);
  return r.rows[0]!;
}

// ---- appointment no-shows ----

/**
 * Marks as no-shows the booked appointments of a center whose slot ended more than `graceMinutes`
 * before `now` without a check-in, and frees their slot's unit (the database function
 * queue_mark_appointment_no_shows, which call-next runs too). Idempotent: only 'booked' rows
 * change, each once. Returns how many were marked.
 */
export async function markAppointmentNoShows(db: Db, centerCode: string, now: Date, graceMinutes: number) {
  const r = await sql<{ n: number }>`select queue_mark_appointment_no_shows(${centerCode}, ${now}::timestamptz, ${graceMinutes}::int) as n`.execute(db);
  return r.rows[0]!.n;
}

/** Appointment no-shows of a center on a day (Baku time), per service. */
export async function appointmentNoShows(db: Db, centerCode: string, date: string) {
  const r = await sql<{ service_code: string; n: number }>`
    select service_code, count(*)::int as n from queue_appointments
     where center_code = ${centerCode} and status = 'no_show'
       and starts_at >= ${`${date}T00:00:00+04:00`}::timestamptz and starts_at < ${`${date}T00:00:00+04:00`}::timestamptz + interval '1 day'
     group by service_code`.execute(db);
  return r.rows;
}

/** Display names of users. */
export async function userNames(db: Db, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom('users').select(['user_id', 'display_name']).where('user_id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.user_id, r.display_name]));
}

/** A citizen's appointments starting after `from`, soonest first, with center and service names. */
export async function citizenAppointments(db: Db, citizenId: number, from: Date, limit: number) {
  return db.selectFrom('queue_appointments as a')
    .innerJoin('centers as c', 'c.center_code', 'a.center_code')
    .innerJoin('services as s', 's.service_code', 'a.service_code')
    .select(['a.confirmation_code', 'a.center_code', 'a.service_code', 'a.starts_at', 'a.status', 'a.citizen_id', 'a.created_at',
      'c.name_az as center_az', 'c.name_ru as center_ru', 'c.name_en as center_en', 's.name_az as service_az', 's.name_ru as service_ru', 's.name_en as service_en'])
    .where('a.citizen_id', '=', citizenId).where('a.starts_at', '>=', from)
    .orderBy('a.starts_at').limit(limit).execute();
}
