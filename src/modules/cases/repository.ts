import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ApplicationActionsTable, ApplicationsTable } from '../../platform/db-types.ts';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type ActionRow = Selectable<ApplicationActionsTable>;

/** Next human reference number, e.g. DOST-2026-0000123. */
export async function nextReference(db: Db, year: number): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('application_number_seq') as n`.execute(db);
  return `DOST-${year}-${String(r.rows[0]!.n).padStart(7, '0')}`;
}

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
  'status' | 'status_since' | 'assigned_to' | 'sla_due_on' | 'decided_at' | 'last_seq'>>) =>
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
