import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** Categories with the number of active services in each. */
export const listCategories = (db: Db) =>
  db.selectFrom('service_categories as c')
    .select(['c.category_code', 'c.name_az', 'c.name_ru', 'c.name_en', 'c.sort'])
    .select((eb) => eb.selectFrom('services as s').whereRef('s.category_code', '=', 'c.category_code').where('s.active', '=', true)
      .select(eb.fn.countAll<number>().as('n')).as('service_count'))
    .orderBy('c.sort').execute();

const SORTS = {
  code: ['service_code', 'asc'],
  name: ['name_az', 'asc'],
  '-name': ['name_az', 'desc'],
  slaWorkingDays: ['sla_working_days', 'asc'],
} as const;

/** A filtered, sorted page of active services; `q` matches names and descriptions in any language. */
export async function listServices(db: Db, f: { q?: string; category?: string; channel?: string; sort?: keyof typeof SORTS; limit: number; offset: number }) {
  let q = db.selectFrom('services').where('active', '=', true);
  if (f.category) q = q.where('category_code', '=', f.category);
  if (f.channel) q = q.where((eb) => eb(eb.val(f.channel), '=', eb.fn.any('channels')));
  if (f.q) {
    for (const word of f.q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
      const like = `%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      q = q.where('search_text', 'like', like);
    }
  }
  const [col, dir] = SORTS[f.sort ?? 'code'];
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy(col, dir).orderBy('service_code').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Every service, active or not (old applications still show theirs). */
export const listAllServices = (db: Db) => db.selectFrom('services').selectAll().execute();

/** One service by code (active or not: old applications still show theirs). */
export const findService = (db: Db, code: string) =>
  db.selectFrom('services').selectAll().where('service_code', '=', code).executeTakeFirst();

/** Regions with their districts. */
export async function listRegions(db: Db) {
  const [regions, districts] = await Promise.all([
    db.selectFrom('regions').selectAll().orderBy('region_code').execute(),
    db.selectFrom('districts').selectAll().orderBy('name_az').execute(),
  ]);
  return { regions, districts };
}

/** The DOST network. */
export const listCenters = (db: Db) =>
  db.selectFrom('centers').selectAll().orderBy(sql`case status when 'open' then 0 else 1 end`).orderBy('center_code').execute();
