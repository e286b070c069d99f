/**
 * Sweep benchmark: evaluating a rule over the whole population inside PostgreSQL with the SQL
 * compilation, against hand-written SQL for the same predicates (constants inlined, same facts)
 * in the same run; then a full sweep of every benefit, decisions included, end to end.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/rules-sweep.ts --citizens 200000
 *
 * Flags: --citizens N (generated population), --rounds R (alternating compiled / hand-written),
 * --keep (keep the database), --reuse NAME (a kept database: no generation, decisions cleared).
 */
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { readReferenceData } from '../src/modules/reference/data-files.ts';
import { upsertReferenceData } from '../src/modules/reference/repository.ts';
import { generatePopulation } from '../src/modules/registry/generate.ts';
import { generateIncomeDeclarations } from '../src/modules/benefits/generate.ts';
import { getRuleBook, sweep } from '../src/modules/benefits/service.ts';
import { runCompiled } from '../src/modules/benefits/repository.ts';
import { compileRule } from '../src/rules/index.ts';
import { createDatabase, databaseUrl, dropDatabase, fmtInt, machineInfo, median, numberArg, parseArgs, printMachine, time } from './lib.ts';

const args = parseArgs();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench/rules-sweep.ts needs DATABASE_URL (a PostgreSQL server)');
  process.exit(2);
}
const N = numberArg(args, 'citizens', 200_000);
const ROUNDS = numberArg(args, 'rounds', 3);
const TODAY = '2026-11-01';
// --reuse NAME: a database kept by an earlier run (--keep) with its generated population; its
// decisions are cleared so the first sweep starts from none, as on a fresh database.
const reuse = args.get('reuse');
const name = reuse ?? `dost_bench_rules_${process.pid}`;

printMachine(await machineInfo(url));
if (!reuse) await createDatabase(url, name);
const d = await openDatabase({ url: databaseUrl(url, name), poolSize: 2 });
try {
  await migrate(d);
  await upsertReferenceData(d.db, await readReferenceData());
  if (reuse) {
    await d.exec('truncate benefit_notifications, benefit_offers, benefit_assignments');
    const [c] = await runCompiled<{ n: number }>(d.db, { text: 'select count(*)::int as n from citizens', values: [] });
    const inc = await time(() => generateIncomeDeclarations(d.db, { seed: 1, asOf: TODAY }));
    console.log(`reusing ${name}: ${fmtInt(c!.n)} citizens; ${fmtInt(inc.result)} declared household incomes added in ${(inc.ms / 1000).toFixed(1)} s`);
  } else {
    const gen = await time(() => generatePopulation(d, { citizens: N, seed: 1, asOf: TODAY }));
    const inc = await time(() => generateIncomeDeclarations(d.db, { seed: 1, asOf: TODAY }));
    console.log(`generated ${fmtInt(N)} citizens in ${(gen.ms / 1000).toFixed(1)} s, ${fmtInt(inc.result)} declared household incomes in ${(inc.ms / 1000).toFixed(1)} s`);
  }
  // As on a live registry, where autovacuum has long visited these rows: statistics, visibility
  // map and hint bits set (a first read of freshly loaded rows otherwise writes every page).
  await d.exec('vacuum (analyze)');
  const rb = await getRuleBook();
  const P = (n: string) => rb.params.at(n, TODAY)!.value;

  // The same predicates by hand: constants for the date inlined, the same fact SQL (latest record, alive on the date).
  const HAND: Record<string, string> = {
    old_age_pension: `
      select outcome, count(*)::int as n, sum(case when outcome = 'eligible' then amount end)::float8 as total from (
        select case when not (c.death_date is null or c.death_date > date '${TODAY}') then 'not_eligible'
                    when (extract(year from age(date '${TODAY}', c.birth_date)) * 12 + extract(month from age(date '${TODAY}', c.birth_date)))
                         < case when c.sex = 'M' then ${P('retirement_age_months_men')} else ${P('retirement_age_months_women')} end then 'not_eligible'
                    when (i.data->>'months')::float8 >= ${P('minimum_insurance_record_months')}
                      or coalesce(i.data->>'pensionCapitalAzn', i.data->>'pension_capital_azn')::float8 >= ${P('minimum_pension') * P('pension_capital_months')} then 'eligible'
                    when (i.data->>'months')::float8 < ${P('minimum_insurance_record_months')}
                     and coalesce(i.data->>'pensionCapitalAzn', i.data->>'pension_capital_azn')::float8 < ${P('minimum_pension') * P('pension_capital_months')} then 'not_eligible'
                    else 'cannot_decide' end as outcome,
               coalesce(greatest(${P('minimum_pension')}, floor(coalesce(i.data->>'pensionCapitalAzn', i.data->>'pension_capital_azn')::float8
                 / ${P('expected_pension_payment_months')} * 100 + 0.5) / 100), ${P('minimum_pension')}) as amount
          from citizens c
          left join lateral (select e.data from life_events e where e.citizen_id = c.citizen_id and e.type = 'insurance_record' and e.occurred_on <= date '${TODAY}'
                              order by e.occurred_on desc, e.event_id desc limit 1) i on true) q
      group by outcome`,
    disability_allowance: `
      select outcome, count(*)::int as n, sum(case when outcome = 'eligible' then amount end)::float8 as total from (
        select case when not (c.death_date is null or c.death_date > date '${TODAY}') or c.birth_date > date '${TODAY}' - interval '18 years'
                      or (a.data->>'degree')::int not in (1, 2, 3)
                      or coalesce(a.data->>'reviewOn', a.data->>'review_on')::date <= date '${TODAY}' then 'not_eligible' else 'eligible' end as outcome,
               case (a.data->>'degree')::int when 1 then ${P('disability_allowance_degree_1')} when 2 then ${P('disability_allowance_degree_2')} else ${P('disability_allowance_degree_3')} end as amount
          from citizens c
          join lateral (select e.data from life_events e where e.citizen_id = c.citizen_id and e.type = 'disability_assessment' and e.occurred_on <= date '${TODAY}'
                         order by e.occurred_on desc, e.event_id desc limit 1) a on true) q
      group by outcome`,
  };
  const results: string[] = [];
  for (const [id, hand] of Object.entries(HAND)) {
    const rule = rb.byId.get(id)!;
    const c = compileRule(rule, rb.params, { today: TODAY });
    const compiled = { text: `select outcome, count(*)::int as n, sum(amount)::float8 as total from (${c.text}) q group by outcome`, values: c.values };
    const tc: number[] = [];
    const th: number[] = [];
    let a: { outcome: string; n: number; total: number | null }[] = [];
    let b: typeof a = [];
    for (let r = 0; r < ROUNDS; r++) {
      const first = r % 2 === 0;
      const x = await time(() => runCompiled<typeof a[number]>(d.db, first ? compiled : { text: hand, values: [] }));
      const y = await time(() => runCompiled<typeof a[number]>(d.db, first ? { text: hand, values: [] } : compiled));
      (first ? tc : th).push(x.ms); (first ? th : tc).push(y.ms);
      if (first) { a = x.result; b = y.result; }
    }
    const norm = (rows: typeof a) => JSON.stringify(rows.map((r) => [r.outcome, r.n, r.total === null ? null : Math.round(r.total * 100)]).sort());
    if (norm(a) !== norm(b)) throw new Error(`${id}: compiled ${norm(a)} ≠ hand-written ${norm(b)}`);
    const line = `${id.padEnd(22)} compiled ${median(tc).toFixed(0)} ms, hand-written ${median(th).toFixed(0)} ms, ratio ${(median(tc) / median(th)).toFixed(2)}x  ${norm(a)}`;
    results.push(line);
    console.log(line);
  }
  let last = performance.now();
  const perRule = (id: string) => { const now = performance.now(); console.log(`  ${id}: ${(now - last).toFixed(0)} ms`); last = now; };
  const full = await time(() => sweep(d.db, rb, TODAY, perRule));
  console.log(`full sweep, ${rb.byId.size} benefits, decisions written: ${(full.ms / 1000).toFixed(1)} s`);
  last = performance.now();
  const again = await time(() => sweep(d.db, rb, TODAY, perRule));
  const changes = Object.values(again.result).reduce((s, r) => s + r.assigned + r.offered + r.ended + r.recalculated + r.withdrawn, 0);
  console.log(`second sweep (idempotent, ${changes} changes): ${(again.ms / 1000).toFixed(1)} s`);
  for (const [id, s] of Object.entries(full.result)) console.log(`  ${id.padEnd(28)} eligible ${fmtInt(s.eligible)}, assigned ${fmtInt(s.assigned)}, offered ${fmtInt(s.offered)}, cannot decide ${fmtInt(s.cannotDecide)}`);
} finally {
  await d.close();
  if (!args.has('keep') && !reuse) await dropDatabase(url, name);
}
