import type { Db } from '../../platform/db.ts';

const SUMMARY = ['citizen_id', 'fin', 'last_name', 'first_name', 'patronymic', 'birth_date', 'sex', 'district_code', 'death_date'] as const;

/** A citizen by FIN. */
export const findCitizenByFin = (db: Db, fin: string) =>
  db.selectFrom('citizens').select(SUMMARY).where('fin', '=', fin).executeTakeFirst();

/** A citizen's full row by id. */
export const findCitizenById = (db: Db, citizenId: number) =>
  db.selectFrom('citizens').selectAll().where('citizen_id', '=', citizenId).executeTakeFirst();

/** Summaries of several citizens. */
export const findCitizenSummaries = (db: Db, ids: number[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('citizens').select(SUMMARY).where('citizen_id', 'in', ids).execute();

/** The household a citizen currently belongs to, with its current members. */
export async function findCurrentHousehold(db: Db, citizenId: number) {
  const m = await db.selectFrom('household_members').select('household_id')
    .where('citizen_id', '=', citizenId).where('left_on', 'is', null).orderBy('joined_on', 'desc').executeTakeFirst();
  if (!m) return undefined;
  const members = await db.selectFrom('household_members as hm')
    .innerJoin('citizens as c', 'c.citizen_id', 'hm.citizen_id')
    .select(['c.citizen_id', 'c.fin', 'c.last_name', 'c.first_name', 'c.birth_date', 'hm.relation', 'c.death_date'])
    .where('hm.household_id', '=', m.household_id).where('hm.left_on', 'is', null)
    .orderBy('c.birth_date').execute();
  return { householdId: m.household_id, members };
}

/** A citizen's life events, oldest first. */
export const listLifeEvents = (db: Db, citizenId: number) =>
  db.selectFrom('life_events').selectAll().where('citizen_id', '=', citizenId).orderBy('occurred_on').orderBy('event_id').execute();

/** Appends a life event. */
export const insertLifeEvent = (db: Db, e: { citizenId: number; type: string; occurredOn: string; source: string; data: Record<string, unknown> }) =>
  db.insertInto('life_events')
    .values({ citizen_id: e.citizenId, type: e.type, occurred_on: e.occurredOn, source: e.source, data: JSON.stringify(e.data) })
    .returningAll().executeTakeFirstOrThrow();

/** Records a death on the citizen row too (the event stays the source of truth). */
export const setDeathDate = (db: Db, citizenId: number, date: string) =>
  db.updateTable('citizens').set({ death_date: date, updated_at: new Date() }).where('citizen_id', '=', citizenId).execute();

/** A citizen's row with the size of their current household (living members), in one query. */
export const findCitizenWithHouseholdSize = (db: Db, citizenId: number) =>
  db.selectFrom('citizens as c').selectAll('c')
    .select((eb) => eb.selectFrom('household_members as me')
      .innerJoin('household_members as hm', 'hm.household_id', 'me.household_id')
      .innerJoin('citizens as m', 'm.citizen_id', 'hm.citizen_id')
      .whereRef('me.citizen_id', '=', 'c.citizen_id').where('me.left_on', 'is', null).where('hm.left_on', 'is', null).where('m.death_date', 'is', null)
      .select(eb.fn.countAll<number>().as('n')).as('household_size'))
    .where('c.citizen_id', '=', citizenId).executeTakeFirst();
