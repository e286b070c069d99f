import { randomInt } from 'node:crypto';
import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ApplicationActionsTable, ApplicationsTable } from '../../platform/db-types.ts';
import type { StaffNotificationsTable } from './db-types.ts';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type ActionRow = Selectable<ApplicationActionsTable>;

/**
 * Letters and digits of a reference: 32 symbols (5 bits each) without the look-alikes I, O, 0, 1,
 * so a reference read over the phone or copied from paper is not mistaken for another.
 */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A new human reference, e.g. DOST-2026-K7QM-3XWD: the year and 8 symbols (40 bits) from the
 * operating system's cryptographic generator, so references cannot be guessed or counted through
 * (the sequential DOST-2026-0000123 of before told how many applications there were and which
 * exist). Unique by the column's constraint; the caller draws again on a collision.
 */
export function newReference(year: number, draw: (n: number) => number = randomInt): string {
  const s = Array.from({ length: 8 }, () => REFERENCE_ALPHABET[draw(REFERENCE_ALPHABET.length)]).join('');
  return `DOST-${year}-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The unique constraint a reference collision violates. */
export const REFERENCE_UNIQUE = 'applications_reference_key';

/** Inserts an application row. */
export const insertApplication = (db: Db, values: Insertable<ApplicationsTable>) =>
  db.insertInto('applications').values(values).returningAll().executeTakeFirstOrThrow();

/** Appends an action. */
export const insertAction = (db: Db, values: Insertable<ApplicationActionsTable>) =>
  db.insertInto('application_actions').values(values).execute();

/** An application by reference; `forUpdate` locks the row for a state change. */
export function findApplicationByReference(db: Db, reference: string, forUpdate = false) {
  const q = db.selectFrom('applications').selectAll().where('reference', '=', reference);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** The action history of an application with actor names, oldest first. */
export const listActions = (db: Db, citizenId: number, applicationId: string) =>
  db.selectFrom('application_actions as a')
    .leftJoin('users as u', 'u.user_id', 'a.actor_user_id')
    .select(['a.seq', 'a.action', 'a.actor_user_id', 'a.actor_role', 'a.at', 'a.comment', 'a.reason', 'a.data', 'u.display_name as actor_name'])
    .where('a.citizen_id', '=', citizenId).where('a.application_id', '=', applicationId)
    .orderBy('a.seq').execute();

/** Writes the derived state back to the projection row. */
export const updateProjection = (db: Db, citizenId: number, applicationId: string, values: Partial<Pick<ApplicationRow,
  'status' | 'status_since' | 'assigned_to' | 'sla_due_on' | 'decided_at' | 'last_seq' | 'escalation_level'>>) =>
  db.updateTable('applications').set(values).where('citizen_id', '=', citizenId).where('application_id', '=', applicationId).execute();

/** Inbox and "my applications" filters. */
export interface ApplicationFilter {
  citizenId?: number;
  serviceCode?: string;
  status?: string;
  centerCode?: string;
  assignee?: string | 'unassigned';
  slaDueBefore?: string;
  slaDueFrom?: string;
  reference?: string;
  sort: 'slaDueOn' | '-submittedAt' | 'submittedAt' | '-slaDueOn';
  limit: number;
  offset: number;
}

const SORT_COLUMNS = {
  slaDueOn: ['a.sla_due_on', 'asc'],
  '-slaDueOn': ['a.sla_due_on', 'desc'],
  submittedAt: ['a.submitted_at', 'asc'],
  '-submittedAt': ['a.submitted_at', 'desc'],
} as const;

/** A filtered, sorted page of applications with service, citizen and assignee names. */
export async function listApplications(db: Db, f: ApplicationFilter) {
  let q = db.selectFrom('applications as a');
  if (f.citizenId !== undefined) q = q.where('a.citizen_id', '=', f.citizenId);
  if (f.serviceCode) q = q.where('a.service_code', '=', f.serviceCode);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.centerCode) q = q.where('a.center_code', '=', f.centerCode);
  if (f.assignee === 'unassigned') q = q.where('a.assigned_to', 'is', null);
  else if (f.assignee) q = q.where('a.assigned_to', '=', f.assignee);
  if (f.slaDueBefore) q = q.where('a.sla_due_on', '<=', f.slaDueBefore);
  if (f.slaDueFrom) q = q.where('a.sla_due_on', '>=', f.slaDueFrom);
  if (f.reference) q = q.where('a.reference', '=', f.reference);
  const [col, dir] = SORT_COLUMNS[f.sort];
  const rows = await q
    .innerJoin('services as s', 's.service_code', 'a.service_code')
    .innerJoin('citizens as c', 'c.citizen_id', 'a.citizen_id')
    .leftJoin('users as u', 'u.user_id', 'a.assigned_to')
    .selectAll('a')
    .select(['s.name_az', 's.name_ru', 's.name_en', 's.sla_working_days', 'c.last_name', 'c.first_name', 'u.display_name as assignee_name'])
    .orderBy(col, (ob) => (dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast()))
    .orderBy('a.reference')
    .limit(f.limit).offset(f.offset).execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}
export type ApplicationListRow = Awaited<ReturnType<typeof listApplications>>['rows'][number];

/** True when the user exists, is active and holds one of the roles. */
export async function userHasRole(db: Db, userId: string, roles: readonly string[]): Promise<{ display_name: string } | undefined> {
  return db.selectFrom('users').select('display_name')
    .where('user_id', '=', userId).where('disabled', '=', false)
    .where((eb) => eb.or(roles.map((r) => eb(eb.val(r), '=', eb.fn.any('roles')))))
    .executeTakeFirst();
}

/** What a new application needs written. */
export interface NewSubmission {
  citizenId: number;
  applicationId: string;
  /** The new reference (see newReference). */
  reference: string;
  serviceCode: string;
  channel: string;
  centerCode: string | null;
  submittedBy: string;
  actorRole: string;
  actorUsername: string;
  actorRoles: string[];
  assisted: boolean;
  /** The applicant's answers. */
  answers: Record<string, unknown>;
  /** SQL (over the citizen row `c`) for the registry values of prefilled fields. */
  prefill: RawBuilder<unknown>;
  at: Date;
  slaDueOn: string | null;
  auditPurpose: string;
  requestId: string | null;
  ip: string | null;
  idempotency: { scope: string; key: string; hash: string };
}

/** The stored application's reference and data, and the applicant as the response shows them. */
export interface StoredSubmission {
  reference: string;
  data: Record<string, unknown>;
  citizen_id: number;
  fin: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  district_code: string;
  death_date: string | null;
}

/**
 * Writes a submitted application in one statement — one round trip, atomic without an explicit
 * transaction: reads the living applicant, fills the registry's values into the answers, and
 * inserts the application with its reference number, its first action, the outbox event, the
 * audit row and the idempotency record. Returns undefined when there is no living citizen with
 * that id (nothing is written); a repeated Idempotency-Key aborts all of it.
 */
export async function insertSubmission(db: Db, s: NewSubmission): Promise<StoredSubmission | undefined> {
  const r = await sql<StoredSubmission>`
    with c as (
      select * from citizens where citizen_id = ${s.citizenId} and death_date is null
    ), app as (
      insert into applications (citizen_id, application_id, reference, service_code, status, channel, center_code, submitted_by,
                                assisted, data, submitted_at, status_since, sla_due_on, last_seq)
      select c.citizen_id, ${s.applicationId}, ${s.reference},
             ${s.serviceCode}, 'submitted', ${s.channel}, ${s.centerCode}, ${s.submittedBy}, ${s.assisted},
             ${JSON.stringify(s.answers)}::jsonb || ${s.prefill}, ${s.at}, ${s.at}, ${s.slaDueOn}::date, 1
        from c
      returning citizen_id, application_id, reference, data
    ), act as (
      insert into application_actions (citizen_id, application_id, seq, action, actor_user_id, actor_role, at, data)
      select citizen_id, application_id, 1, 'submit', ${s.submittedBy}, ${s.actorRole}, ${s.at},
             jsonb_build_object('channel', ${s.channel}::text, 'assisted', ${s.assisted}::boolean) from app
    ), ev as (
      insert into outbox (topic, payload)
      select 'cases.application.submitted', jsonb_build_object('citizenId', citizen_id, 'applicationId', application_id, 'reference', reference, 'serviceCode', ${s.serviceCode}::text) from app
    ), au as (
      insert into audit_log (actor_user_id, actor_username, actor_roles, action, citizen_id, resource, purpose, request_id, ip)
      select ${s.submittedBy}, ${s.actorUsername}, ${s.actorRoles}::text[], 'application.create', citizen_id, 'applications/' || reference,
             ${s.auditPurpose}, ${s.requestId}, ${s.ip} from app
    ), idem as (
      insert into idempotency_keys (scope, key, request_hash, status_code, response)
      select ${s.idempotency.scope}, ${s.idempotency.key}, ${s.idempotency.hash}, 201, jsonb_build_object('reference', reference) from app
    )
    select app.reference, app.data, c.citizen_id, c.fin, c.last_name, c.first_name, c.patronymic, c.birth_date, c.sex, c.district_code, c.death_date
      from app cross join c`.execute(db);
  return r.rows[0];
}

/** A citizen's applications in the given statuses, newest first. */
export const listApplicationsOfCitizen = (db: Db, citizenId: number, statuses: readonly string[], limit: number) =>
  db.selectFrom('applications').select(['reference', 'service_code', 'status', 'submitted_at', 'sla_due_on'])
    .where('citizen_id', '=', citizenId).where('status', 'in', [...statuses])
    .orderBy('submitted_at', 'desc').limit(limit).execute();

/** A page of possibly overdue open cases below the top escalation level, in key order after `after`. */
export function listEscalationCandidates(db: Db, f: { statuses: readonly string[]; dueBefore: string; belowLevel: number; after?: { citizenId: number; applicationId: string }; limit: number }) {
  let q = db.selectFrom('applications')
    .select(['citizen_id', 'application_id', 'reference', 'status', 'sla_due_on', 'escalation_level'])
    .where('status', 'in', [...f.statuses]).where('sla_due_on', '<', f.dueBefore).where('escalation_level', '<', f.belowLevel);
  const after = f.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('citizen_id', 'application_id'), '>', eb.tuple(after.citizenId, after.applicationId)));
  return q.orderBy('citizen_id').orderBy('application_id').limit(f.limit).execute();
}

/** Adds staff notices; one per (case, kind, level, role), so a repeat adds nothing. Returns how many were new. */
export async function insertStaffNotifications(db: Db, rows: Insertable<StaffNotificationsTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db.insertInto('staff_notifications').values(rows)
    .onConflict((oc) => oc.columns(['application_id', 'kind', 'level', 'recipient_role']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Staff notices addressed to any of `roles`: admins' notices whatever the center; others' only
 * for their center (or for every center) when they have one. Newest first.
 */
export async function listStaffNotifications(db: Db, f: { roles: readonly string[]; centerCode: string | null; limit: number; offset: number }) {
  const q = db.selectFrom('staff_notifications as n')
    .where('n.recipient_role', 'in', [...f.roles])
    .where((eb) => {
      const centerCode = f.centerCode;
      if (centerCode === null) return eb.val(true);
      return eb.or([eb('n.recipient_role', '=', 'admin'), eb('n.center_code', 'is', null), eb('n.center_code', '=', centerCode)]);
    });
  const rows = await q.innerJoin('applications as a', (j) => j.onRef('a.citizen_id', '=', 'n.citizen_id').onRef('a.application_id', '=', 'n.application_id'))
    .select(['n.notification_id', 'n.recipient_role', 'n.center_code', 'n.kind', 'n.reference', 'n.level', 'n.data', 'n.created_at', 'a.service_code', 'a.status', 'a.escalation_level'])
    .orderBy('n.created_at', 'desc').orderBy('n.notification_id', 'desc')
    .limit(f.limit).offset(f.offset).execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}
