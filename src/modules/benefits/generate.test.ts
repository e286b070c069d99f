import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { generatePopulation } from '../registry/generate.ts';
import { generateIncomeDeclarations } from './generate.ts';
import { applyRule, getRuleBook } from './service.ts';

let d: TestDatabase;
before(async () => {
  d = await createTestDatabase();
  await generatePopulation(d, { citizens: 4000, seed: 3, asOf: '2026-11-01' });
});
after(() => d?.close());

const declarations = () => d.db.selectFrom('household_income_declarations')
  .select(['household_id', 'declared_on', 'monthly_income_azn']).orderBy('household_id').execute();

test('about 8 % of generated households declare an income, 11-18 months back: the wages of those employed then plus < 300', async () => {
  const written = await generateIncomeDeclarations(d.db, { seed: 3, asOf: '2026-11-01' });
  const households = Number((await sql<{ n: number }>`select count(*)::int as n from households`.execute(d.db)).rows[0]!.n);
  const rows = await declarations();
  assert.equal(rows.length, written);
  assert.ok(written > households * 0.05 && written < households * 0.11, `${written} of ${households}`);
  for (const r of rows) assert.ok(r.declared_on >= '2025-05-08' && r.declared_on <= '2025-12-01', `declared on ${r.declared_on}`);
  // Each income minus the wages of the members whose latest employment event by then is a start: 0–300.
  const { rows: check } = await sql<{ household_id: number; other: number }>`
    select i.household_id, (i.monthly_income_azn - coalesce(sum((last.data->>'wage_azn')::numeric) filter (where last.type = 'employment_start'), 0))::float8 as other
      from household_income_declarations i
      join household_members hm on hm.household_id = i.household_id and hm.joined_on <= i.declared_on and (hm.left_on is null or hm.left_on > i.declared_on)
      left join lateral (select e.type, e.data from life_events e where e.citizen_id = hm.citizen_id and e.type in ('employment_start', 'employment_end')
                           and e.occurred_on <= i.declared_on order by e.occurred_on desc, e.event_id desc limit 1) last on true
     group by i.household_id, i.monthly_income_azn`.execute(d.db);
  assert.equal(check.length, rows.length);
  for (const c of check) assert.ok(c.other >= 0 && c.other <= 300, `household ${c.household_id}: other income ${c.other}`);
  assert.ok(check.some((c) => Number(rows.find((r) => r.household_id === c.household_id)!.monthly_income_azn) > 400), 'some households have wages');
});

test('the same seed gives the same declarations, and running it again adds none', async () => {
  const first = await declarations();
  assert.equal(await generateIncomeDeclarations(d.db, { seed: 3, asOf: '2026-11-01' }), 0);
  await d.db.deleteFrom('household_income_declarations').execute();
  await generateIncomeDeclarations(d.db, { seed: 3, asOf: '2026-11-01' });
  assert.deepEqual(await declarations(), first);
});

test('with declared incomes a sweep offers targeted social assistance to some households and refuses others', async () => {
  const rb = await getRuleBook();
  const r = await applyRule(d.db, rb, rb.byId.get('targeted_social_assistance')!, '2026-11-01');
  const declared = (await declarations()).length;
  assert.ok(r.offered > 0 && r.offered < declared, `${r.offered} offers for ${declared} declared incomes`);
});
