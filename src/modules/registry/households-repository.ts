import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

export const findHousehold = (db: Db, householdId: number) =>
  db.selectFrom('households').selectAll().where('household_id', '=', householdId).executeTakeFirst();

/** Locks the household row so concurrent changes to one household run one after the other. */
export const lockHousehold = (db: Db, householdId: number) =>
  db.selectFrom('households').selectAll().where('household_id', '=', householdId).forUpdate().executeTakeFirst();

export const districtExists = async (db: Db, code: string) =>
  (await db.selectFrom('districts').select('district_code').where('district_code', '=', code).executeTakeFirst()) !== undefined;

export const insertHousehold = (db: Db, districtCode: string, address: string) =>
  db.insertInto('households').values({ district_code: districtCode, address }).returningAll().executeTakeFirstOrThrow();

/** The open membership of a citizen (at most one: migrations/0022). */
export const openMembershipOf = (db: Db, citizenId: number) =>
  db.selectFrom('household_members').selectAll().where('citizen_id', '=', citizenId).where('left_on', 'is', null).executeTakeFirst();

export const openMembers = (db: Db, householdId: number) =>
  db.selectFrom('household_members').selectAll().where('household_id', '=', householdId).where('left_on', 'is', null).execute();

export const insertMember = (db: Db, m: { citizenId: number; householdId: number; relation: string; joinedOn: string }) =>
  db.insertInto('household_members').values({ citizen_id: m.citizenId, household_id: m.householdId, relation: m.relation, joined_on: m.joinedOn }).execute();

export const endMembership = (db: Db, citizenId: number, householdId: number, leftOn: string) =>
  db.updateTable('household_members').set({ left_on: leftOn })
    .where('citizen_id', '=', citizenId).where('household_id', '=', householdId).where('left_on', 'is', null).execute();

/** Changes the relation of an open membership that started on the same day (no history to keep). */
export const setOpenRelation = (db: Db, citizenId: number, householdId: number, relation: string) =>
  db.updateTable('household_members').set({ relation })
    .where('citizen_id', '=', citizenId).where('household_id', '=', householdId).where('left_on', 'is', null).execute();

export const listMembers = (db: Db, householdId: number) =>
  db.selectFrom('household_members as m').innerJoin('citizens as c', 'c.citizen_id', 'm.citizen_id')
    .select(['m.citizen_id', 'm.relation', 'm.joined_on', 'm.left_on', 'c.fin', 'c.last_name', 'c.first_name', 'c.patronymic', 'c.birth_date', 'c.death_date'])
    .where('m.household_id', '=', householdId)
    .orderBy(sql`m.left_on is null`, 'desc').orderBy('m.joined_on').orderBy('m.citizen_id').execute();

export const listDeclarations = (db: Db, householdId: number) =>
  db.selectFrom('household_income_declarations').selectAll().where('household_id', '=', householdId)
    .orderBy('declared_on', 'desc').orderBy('declaration_id', 'desc').execute();

export const insertDeclaration = (db: Db, d: { householdId: number; monthlyIncomeAzn: number; periodFrom: string; periodTo: string; source: string; declaredOn: string }) =>
  db.insertInto('household_income_declarations').values({
    household_id: d.householdId, monthly_income_azn: d.monthlyIncomeAzn, period_from: d.periodFrom, period_to: d.periodTo, source: d.source, declared_on: d.declaredOn,
  }).returningAll().executeTakeFirstOrThrow();

/** Any citizen (living or not) with this FIN (already normalised). */
export const citizenIdByFin = async (db: Db, fin: string) =>
  (await db.selectFrom('citizens').select('citizen_id').where('fin', '=', fin).executeTakeFirst())?.citizen_id;
