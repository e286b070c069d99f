import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { generatePopulation } from '../registry/generate.ts';
import { compileRule, evaluateRule, type RuleBook, type SqlDecisionRow } from '../../rules/index.ts';
import { acceptOffer, countOverlaps, runCompiled } from './repository.ts';
import { applyRule, getRuleBook, loadFacts, sweep } from './service.ts';

let d: TestDatabase;
let rb: RuleBook;

before(async () => {
  d = await createTestDatabase();
  rb = await getRuleBook();
  await generatePopulation(d, { citizens: 1200, seed: 11, asOf: '2026-11-01' });
  // Declared incomes for most households (some none, some exactly at the criterion), so every branch of TSA is reached.
  const hh = await d.db.selectFrom('households').select('household_id').orderBy('household_id').execute();
  const rows = hh.filter((_, i) => i % 7 !== 0).map((h, i) => ({
    household_id: h.household_id, declared_on: '2026-01-01', source: 'test',
    monthly_income_azn: i % 5 === 0 ? 300 * (1 + (i % 4)) : Math.round((i * 137.3) % 2500 * 100) / 100,
  }));
  await d.db.insertInto('household_income_declarations').values(rows).execute();
  // Families that accepted TSA, so the under-one allowance has someone to follow.
  await applyRule(d.db, rb, rb.byId.get('targeted_social_assistance')!, '2026-02-01');
  const offers = await d.db.selectFrom('benefit_offers').selectAll().where('status', '=', 'pending').execute();
  await d.db.transaction().execute(async (trx) => { for (const o of offers) await acceptOffer(trx, 'monthly', o); });
  // Pension offers left pending: at earlier dates these people are below pension age, and a sweep must still revisit them.
  await applyRule(d.db, rb, rb.byId.get('old_age_pension')!, '2026-11-01');
});
after(() => d?.close());

const DATES = ['2025-07-01', '2025-12-31', '2026-01-01', '2026-02-15', '2026-06-30', '2026-07-01', '2026-11-01'];

test('the JS evaluator and the SQL compilation agree on every subject, rule, date and parameter change', async () => {
  const overridable = ['need_criterion', 'minimum_wage', 'childbirth_allowance', 'retirement_age_months_women', 'unemployment_ceiling', 'minimum_pension'];
  let compared = 0;
  let decisiveCompared = 0;
  const outcomes = new Set<string>();
  await fc.assert(fc.asyncProperty(
    fc.constantFrom(...DATES),
    fc.option(fc.record({ name: fc.constantFrom(...overridable), from: fc.constantFrom(...DATES), value: fc.integer({ min: 100, max: 1200 }) }), { nil: undefined }),
    async (today, change) => {
      const params = change ? rb.params.withOverride(change.name, change.from, change.value) : rb.params;
      for (const rule of rb.byId.values()) {
        const sqlRows = await runCompiled<SqlDecisionRow>(d.db, compileRule(rule, params, { today }));
        const facts = await loadFacts(d.db, rule, today);
        assert.equal(sqlRows.length, facts.length, rule.id);
        const bySubject = new Map(sqlRows.map((r) => [`${r.subject_key}|${r.about_id}`, r]));
        // A sweep reads only the rows that can change a decision: every eligible row and every
        // subject with a decision open must be among them, each the same as in the full evaluation.
        const decisive = await runCompiled<SqlDecisionRow>(d.db, compileRule(rule, params, { today, decisiveOnly: true }));
        const decisiveKeys = new Set(decisive.map((r) => `${r.subject_key}|${r.about_id}`));
        for (const r of decisive) assert.deepEqual(r, bySubject.get(`${r.subject_key}|${r.about_id}`), `${rule.id} decisive row ${r.subject_key} ${r.about_id} at ${today}`);
        const open = await d.db.selectFrom('benefit_assignments').select(['citizen_id', 'subject_key']).where('benefit_id', '=', rule.id).where('status', '=', 'active')
          .union(d.db.selectFrom('benefit_offers').select(['citizen_id', 'subject_key']).where('benefit_id', '=', rule.id).where('status', '=', 'pending')).execute();
        const openKeys = new Set(open.map((o) => (o.subject_key === 'person' ? `person|${o.citizen_id}` : `${o.subject_key}|${o.subject_key.split(':')[1]}`)));
        for (const r of sqlRows) {
          const key = `${r.subject_key}|${r.about_id}`;
          if (r.outcome === 'eligible' || openKeys.has(key)) assert.ok(decisiveKeys.has(key), `${rule.id} ${key} (${r.outcome}) left out of a sweep at ${today}`);
        }
        decisiveCompared += decisive.length;
        for (const f of facts) {
          const js = evaluateRule(rule, f.facts, params, today);
          const s = bySubject.get(`${f.subject_key}|${f.about_id}`)!;
          const ctx = `${rule.id} ${f.subject_key} about ${f.about_id} at ${today} ${JSON.stringify(change)} facts ${JSON.stringify(f.facts)}`;
          assert.equal(s.outcome, js.outcome, ctx);
          assert.equal(s.amount, js.amount, ctx);
          assert.equal(s.period_from, js.periodFrom, ctx);
          assert.equal(s.period_to, js.periodTo, ctx);
          assert.equal(s.eval_date, js.evalDate, ctx);
          outcomes.add(`${rule.id}:${js.outcome}`);
          compared++;
        }
      }
    },
  ), { numRuns: 6, seed: 20261101, examples: [['2026-11-01', undefined], ['2026-02-15', undefined]] });
  assert.ok(compared > 5000, `compared ${compared}`);
  assert.ok(decisiveCompared > 500 && decisiveCompared < compared, `a sweep kept ${decisiveCompared} of ${compared} rows`);
  // The population reaches every outcome that matters, so the agreement is not vacuous.
  for (const o of ['childbirth_allowance:eligible', 'disability_allowance:eligible', 'disability_allowance:not_eligible', 'old_age_pension:eligible',
    'old_age_pension:cannot_decide', 'targeted_social_assistance:eligible', 'targeted_social_assistance:not_eligible', 'targeted_social_assistance:cannot_decide',
    'child_under_one_allowance:eligible', 'unemployment_insurance:eligible', 'unemployment_insurance:not_eligible']) {
    assert.ok(outcomes.has(o), `never reached ${o}`);
  }
});

test('a sweep is idempotent and assignments never overlap, whatever the order of dates and income changes', async () => {
  const hh = await d.db.selectFrom('households').select('household_id').orderBy('household_id').limit(200).execute();
  await fc.assert(fc.asyncProperty(
    fc.array(fc.record({ date: fc.constantFrom(...DATES), household: fc.integer({ min: 0, max: hh.length - 1 }), income: fc.integer({ min: 0, max: 2000 }) }), { minLength: 1, maxLength: 3 }),
    async (steps) => {
      for (const s of [...steps].sort((a, b) => a.date.localeCompare(b.date))) {
        await d.db.insertInto('household_income_declarations').values({ household_id: hh[s.household]!.household_id, declared_on: s.date, monthly_income_azn: s.income, source: 'test' }).execute();
        await sweep(d.db, rb, s.date);
        const again = await sweep(d.db, rb, s.date);
        const changes = Object.values(again).reduce((n, r) => n + r.assigned + r.offered + r.ended + r.recalculated + r.withdrawn, 0);
        assert.equal(changes, 0, `second sweep at ${s.date} changed ${JSON.stringify(again)}`);
        assert.equal(await countOverlaps(d.db), 0);
      }
    },
  ), { numRuns: 4, seed: 7 });
  const assigned = await d.db.selectFrom('benefit_assignments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.ok(Number(assigned.n) > 50);
});

test('the database refuses an overlapping assignment', async () => {
  const a = await d.db.selectFrom('benefit_assignments').selectAll().where('payment', '=', 'monthly').limit(1).executeTakeFirstOrThrow();
  await assert.rejects(d.db.insertInto('benefit_assignments').values({
    citizen_id: a.citizen_id, benefit_id: a.benefit_id, subject_key: a.subject_key, rule_version: 1, payment: 'monthly', amount_azn: 1,
    period_from: a.period_from, period_to: null, eval_date: a.eval_date, parameters: '{}',
  }).execute(), /overlapping assignment|duplicate key/);
});

test('a bulk writer (a sweep) is refused an overlapping assignment too, checked once per statement', async () => {
  const a = await d.db.selectFrom('benefit_assignments').selectAll().where('payment', '=', 'monthly').limit(1).executeTakeFirstOrThrow();
  const row = (from: string, to: string | null) => ({
    citizen_id: a.citizen_id, benefit_id: a.benefit_id, subject_key: `${a.subject_key}-bulk`, rule_version: 1, payment: 'monthly' as const, amount_azn: 1,
    period_from: from, period_to: to, eval_date: from, parameters: '{}',
  });
  const bulk = (write: (trx: typeof d.db) => Promise<unknown>) => d.db.transaction().execute(async (trx) => {
    await sql`select set_config('dost.bulk_benefit', ${a.benefit_id}, true)`.execute(trx);
    await write(trx);
  });
  // Two new rows overlapping each other in one statement, then one overlapping a row already there.
  await assert.rejects(bulk((trx) => trx.insertInto('benefit_assignments').values([row('2026-01-01', '2026-03-01'), row('2026-02-01', '2026-04-01')]).execute()), /overlapping assignment/);
  await assert.rejects(bulk(async (trx) => {
    await trx.insertInto('benefit_assignments').values(row('2026-01-01', '2026-03-01')).execute();
    await trx.insertInto('benefit_assignments').values(row('2026-02-15', '2026-02-20')).execute();
  }), /overlapping assignment/);
  // An update that makes two periods overlap.
  await assert.rejects(bulk(async (trx) => {
    await trx.insertInto('benefit_assignments').values([row('2026-01-01', '2026-03-01'), row('2026-03-01', '2026-04-01')]).execute();
    await trx.updateTable('benefit_assignments').set({ period_to: '2026-03-15' })
      .where('subject_key', '=', `${a.subject_key}-bulk`).where('period_from', '=', '2026-01-01').execute();
  }), /overlapping assignment/);
  // Adjacent periods are fine.
  await bulk((trx) => trx.insertInto('benefit_assignments').values([row('2026-01-01', '2026-03-01'), row('2026-03-01', '2026-04-01')]).execute());
});
