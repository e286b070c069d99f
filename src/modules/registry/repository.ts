import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { PrefillKey } from './schema.ts';

const SUMMARY = ['citizen_id', 'fin', 'last_name', 'first_name', 'patronymic', 'birth_date', 'sex', 'district_code', 'death_date'] as const;

/** A citizen by FIN. */
export const findCitizenByFin = (db: Db, fin: string) =>
  db.selectFrom('citizens').select(SUMMARY).where('fin', '=', fin).executeTakeFirst();

/** The id of the living citizen with this FIN. */
export const findLivingCitizenIdByFin = (db: Db, fin: string) =>
  db.selectFrom('citizens').select('citizen_id').where('fin', '=', fin).where('death_date', 'is', null).executeTakeFirst();

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

/**
 * Each prefill key as SQL over a citizen row aliased `c`: the one definition of what the registry
 * fills into a form, used by the prefill endpoint and inside the statement that stores an application.
 */
const PREFILL_SQL: Record<PrefillKey, RawBuilder<unknown>> = {
  'citizen.fin': sql`c.fin::text`,
  'citizen.full_name': sql`concat_ws(' ', c.last_name, c.first_name, c.patronymic)`,
  'citizen.birth_date': sql`c.birth_date::text`,
  'citizen.phone': sql`c.phone`,
  'citizen.address_district': sql`c.district_code`,
  'citizen.id_card_number': sql`c.id_card_number`,
  'household.size': sql`greatest(1, (select count(*) from household_members me
      join household_members hm on hm.household_id = me.household_id and hm.left_on is null
      join citizens m on m.citizen_id = hm.citizen_id and m.death_date is null
     where me.citizen_id = c.citizen_id and me.left_on is null))::int`,
};

/** A form field filled from the registry. */
export interface PrefillField {
  name: string;
  key: PrefillKey;
}

/** SQL for a jsonb object `{ fieldName: registry value }` over a citizen row aliased `c`; unknown values are left out. */
export function prefillJson(fields: readonly PrefillField[]): RawBuilder<unknown> {
  if (fields.length === 0) return sql`'{}'::jsonb`;
  return sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(fields.map((f) => sql`${f.name}::text, ${PREFILL_SQL[f.key]}`))}))`;
}

/** The registry values for a citizen's prefilled fields, by field name; undefined if there is no such citizen. */
export async function findPrefillValues(db: Db, citizenId: number, fields: readonly PrefillField[]) {
  const r = await sql<{ v: Record<string, string | number> }>`select ${prefillJson(fields)} as v from citizens c where c.citizen_id = ${citizenId}`.execute(db);
  return r.rows[0]?.v;
}
