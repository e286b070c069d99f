/**
 * Declared household incomes for a generated population (demos and benchmarks), so targeted
 * social assistance and the allowances that follow it have facts to decide on. The registry's
 * generator writes people, households and life events; incomes belong to this module's table.
 * Deterministic for a seed: which households declare, when and how much come from hashes of the
 * household id and the seed. Share and other income are in data/registry/demography.json.
 */
import { CompiledQuery } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { readPopulationFiles } from '../registry/generate.ts';

/**
 * For `household_pct` % of households without a declaration: one, dated 11–18 months before
 * `asOf`, of the wages of the members employed then (their latest employment event is a start)
 * plus up to `other_income_max_azn` of other income. Returns how many were written.
 */
export async function generateIncomeDeclarations(db: Db, opts: { seed: number; asOf: string }): Promise<number> {
  const { demo } = await readPopulationFiles();
  const { household_pct: pct, other_income_max_azn: other } = demo.income_declarations;
  // A population just loaded has no statistics yet: without them the planner takes these tables
  // for tiny and loops over household_members for every chosen household (10 M citizens: hours).
  await db.executeQuery(CompiledQuery.raw('analyze households, household_members, life_events'));
  const r = await db.executeQuery(CompiledQuery.raw(`
    with chosen as (
      select h.household_id, $2::date - (335 + abs(hashtext('on:' || h.household_id || ':' || $1::text)) % 200) as declared_on
        from households h
       where abs(hashtext('who:' || h.household_id || ':' || $1::text)) % 10000 < $3::float8 * 100
         and not exists (select 1 from household_income_declarations d where d.household_id = h.household_id)
    )
    insert into household_income_declarations (household_id, declared_on, monthly_income_azn, source)
    select c.household_id, c.declared_on,
           coalesce(sum(last.wage) filter (where last.type = 'employment_start'), 0)
             + abs(hashtext('other:' || c.household_id || ':' || $1::text)) % (floor($4::float8)::int + 1),
           'generated'
      from chosen c
      join household_members hm on hm.household_id = c.household_id and hm.joined_on <= c.declared_on and (hm.left_on is null or hm.left_on > c.declared_on)
      left join lateral (
        select e.type, coalesce(e.data->>'wage_azn', e.data->>'wageAzn')::numeric as wage
          from life_events e
         where e.citizen_id = hm.citizen_id and e.type in ('employment_start', 'employment_end') and e.occurred_on <= c.declared_on
         order by e.occurred_on desc, e.event_id desc limit 1) last on true
     group by c.household_id, c.declared_on
    returning 1`, [String(opts.seed), opts.asOf, pct, other]));
  return r.rows.length;
}
