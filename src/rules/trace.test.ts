/**
 * The "why?" trace is complete: every condition with the facts it read and their values, the
 * parameters in force with their dates and sources (the amount's and the period's too), and the
 * legal reference — whether or not anything was read before the facts changed.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  RULES, c, eq, evalExpr, evaluateRule, fact, isIn, loadRuleBook, referencesOf,
  type Expr, type FactName, type Facts, type Rule, type RuleBook, type UsedParameter, type Value,
} from './index.ts';
import { childbirthAllowance, oldAgePension, targetedSocialAssistance, unemploymentInsurance } from './benefits.ts';

let rb: RuleBook;
before(async () => { rb = await loadRuleBook(); });

const DATE = '2026-11-01';
const refs = (...es: (Expr | undefined)[]) => {
  const out = { facts: new Set<FactName>(), params: new Set<string>() };
  for (const e of es) if (e) referencesOf(e, out);
  return { facts: [...out.facts], params: [...out.params] };
};
/** What the trace must say of a parameter: the value in force on the date, its start and its sources. */
const expected = (name: string, date: string): UsedParameter => {
  const v = rb.params.at(name, date);
  return { name, value: v?.value ?? null, from: v?.from ?? null, unconfirmed: v?.unconfirmed ?? false, sources: v?.sources ?? [] };
};
/** Plausible facts for a rule: a value of the right type for each fact it reads. */
function sampleFacts(rule: Rule, variant: number): Facts {
  const facts: Facts = {};
  // The facts the rule reads, and those its explanations mention (the event date of a birth).
  const mentioned = rule.conditions.flatMap((x) => [x.explain.pass.en, x.explain.fail.en]).flatMap((t) => [...t.matchAll(/\{([a-z_.]+)\}/g)].map((m) => m[1]!));
  const names = new Set([...refs(...rule.conditions.map((x) => x.when), rule.amount, rule.periodFrom, rule.periodTo).facts, ...mentioned.filter((n) => n.includes('.'))]);
  for (const f of names as Set<FactName>) {
    const sample: Record<string, Value[]> = {
      'person.birth_date': ['1955-03-10', '2012-06-30'], 'child.birth_date': ['2026-05-01', '2024-01-01'], 'event.date': ['2026-09-15', '2026-01-10'],
      'event.review_on': ['2027-05-01', null], 'person.sex': ['F', 'M'], 'event.reason': ['staff_cut', 'resignation'],
      'event.degree': [2, null], 'household.monthly_income': [500, 2000],
    };
    facts[f] = f in sample ? sample[f]![variant % 2]! : { number: variant % 2 ? 3 : 400, boolean: variant % 2 === 0, date: '2026-01-01', text: 'x' }[({
      'person.alive': 'boolean', 'beneficiary.known': 'boolean', 'event.stillbirth': 'boolean', 'child.alive': 'boolean', 'household.receives_tsa': 'boolean',
    } as Record<string, string>)[f] ?? 'number']!;
  }
  return facts;
}

describe('the trace of every rule is complete', () => {
  test('each condition in order, the facts it read with their values, the parameters with dates and sources, the law', () => {
    let steps = 0;
    for (const rule of RULES) {
      for (let variant = 0; variant < 4; variant++) {
        const facts = sampleFacts(rule, variant);
        // Variants 2 and 3 lose one fact each, so unknown results and "missing" are covered too.
        const lost = Object.keys(facts)[variant] as FactName | undefined;
        if (variant >= 2 && lost) facts[lost] = null;
        const e = evaluateRule(rule, facts, rb.params, DATE);
        const ctx = `${rule.id} ${JSON.stringify(facts)}`;
        assert.deepEqual(e.trace.map((s) => s.condition), rule.conditions.map((x) => x.id), ctx);
        rule.conditions.forEach((cond, i) => {
          const step = e.trace[i]!;
          const r = refs(cond.when);
          assert.equal(step.legal, cond.legal, ctx);
          assert.ok(step.legal.length > 0, ctx);
          assert.deepEqual(step.facts, Object.fromEntries(r.facts.map((f) => [f, facts[f] ?? null])), `${ctx} ${cond.id}`);
          assert.deepEqual(step.parameters, r.params.map((p) => expected(p, e.evalDate)), `${ctx} ${cond.id}`);
          assert.equal(step.result, evalExpr(cond.when, facts, rb.params, e.evalDate, DATE), `${ctx} ${cond.id}`);
          assert.doesNotMatch(step.explanation.en, /\{[a-z_.]+\}/, `${ctx} ${cond.id}`);
          steps++;
        });
        const pay = refs(rule.amount, rule.periodFrom, rule.periodTo);
        assert.ok(e.amountStep, ctx);
        assert.deepEqual(e.amountStep.parameters, pay.params.map((p) => expected(p, e.evalDate)), ctx);
        assert.deepEqual(e.amountStep.facts, Object.fromEntries(pay.facts.map((f) => [f, facts[f] ?? null])), ctx);
        assert.equal(e.amountStep.legal, rule.legalBasis, ctx);
        assert.equal(e.amountStep.amount, e.amount, ctx);
        assert.deepEqual(e.parameters.map((p) => p.name), refs(...rule.conditions.map((x) => x.when), rule.amount, rule.periodFrom, rule.periodTo).params, ctx);
        for (const p of [...e.parameters, ...e.amountStep.parameters]) if (p.value !== null) assert.ok(p.sources.length > 0 && p.sources.every((s) => s.title), `${ctx} ${p.name} has sources`);
      }
    }
    assert.ok(steps > 50);
  });
});

describe('the amount and where it comes from', () => {
  const birth: Facts = { 'beneficiary.known': true, 'event.stillbirth': false, 'event.date': '2026-02-10' };

  test('childbirth: 600 AZN, the parameter in force from 1 July 2025 and its three sources', () => {
    const a = evaluateRule(childbirthAllowance, birth, rb.params, DATE).amountStep!;
    assert.equal(a.amount, 600);
    assert.equal(a.explanation.en, 'Amount: 600 AZN');
    assert.equal(a.explanation.az, 'Məbləğ: 600 AZN');
    assert.equal(a.legal, childbirthAllowance.legalBasis);
    assert.equal(a.parameters.length, 1);
    const p = a.parameters[0]!;
    assert.deepEqual([p.name, p.value, p.from, p.unconfirmed], ['childbirth_allowance', 600, '2025-07-01', false]);
    assert.deepEqual(p.sources.map((s) => s.id), ['23', '24', '25']);
    assert.equal(p.sources[2]!.title, 'Ministry: allowance for childbirth');
    assert.match(p.sources[2]!.url!, /^https:\/\/sosial\.gov\.az\//);
  });

  test('targeted social assistance: the need criterion and the period length, the facts the formula read', () => {
    const e = evaluateRule(targetedSocialAssistance, { 'beneficiary.known': true, 'household.size': 5, 'household.monthly_income': 900 }, rb.params, '2026-03-10');
    const a = e.amountStep!;
    assert.equal(a.amount, 600);
    assert.equal(a.explanation.en, 'Amount: 600 AZN a month');
    assert.deepEqual(a.facts, { 'household.size': 5, 'household.monthly_income': 900 });
    assert.deepEqual(a.parameters.map((p) => [p.name, p.value, p.from, p.sources.map((s) => s.id)]), [['need_criterion', 300, '2026-01-01', ['18']], ['tsa_period_months', 12, '2022-01-01', ['20']]]);
    // The evaluation's parameters are those the decision records (the SQL compilation writes every parameter of the rule).
    assert.deepEqual(e.parameters.map((p) => p.name), ['need_criterion', 'tsa_period_months']);
  });

  test('unemployment insurance: every parameter of the formula, the unconfirmed ones marked', () => {
    const f: Facts = { 'person.alive': true, 'event.reason': 'staff_cut', 'person.insurance_months': 40, 'event.date': '2026-09-15', 'event.average_wage': 1000, 'person.dependent_children': 1 };
    const a = evaluateRule(unemploymentInsurance, f, rb.params, '2026-09-20').amountStep!;
    assert.equal(a.amount, 525);
    assert.deepEqual(a.parameters.map((p) => [p.name, p.value, p.unconfirmed]), [
      ['minimum_wage', 400, true], ['unemployment_ceiling', 933.8, true], ['unemployment_rate', 0.5, false],
      ['unemployment_child_supplement_cap', 0.2, false], ['unemployment_child_supplement', 0.05, false], ['unemployment_duration_months', 6, true],
    ]);
    assert.deepEqual(a.facts, { 'event.average_wage': 1000, 'person.dependent_children': 1, 'event.date': '2026-09-15' });
    const m = evaluateRule(unemploymentInsurance, { ...f, 'event.average_wage': null }, rb.params, '2026-09-20').amountStep!;
    assert.equal(m.amount, null);
    assert.equal(m.explanation.en, 'Cannot decide: missing event.average_wage');
    assert.equal(m.parameters.length, 6);
  });

  test('when a condition fails, the amount is not computed but its parameters are still shown; before the rule, no amount step', () => {
    const a = evaluateRule(childbirthAllowance, { ...birth, 'event.stillbirth': true }, rb.params, DATE).amountStep!;
    assert.equal(a.amount, null);
    assert.equal(a.explanation.en, 'The amount is computed once every condition is met');
    assert.deepEqual(a.parameters.map((p) => [p.name, p.value]), [['childbirth_allowance', 600]]);
    const before = evaluateRule(childbirthAllowance, { ...birth, 'event.date': '2025-06-30' }, rb.params, DATE);
    assert.equal(before.amountStep, null);
    assert.deepEqual(before.trace.map((s) => [s.condition, s.result]), [['in_force', false]]);
  });
});

describe('the trace is captured during evaluation', () => {
  test('changing the facts afterwards changes nothing the result shows', () => {
    const f: Facts = { 'person.alive': true, 'person.sex': 'F', 'person.birth_date': '1950-02-03', 'person.insurance_months': null, 'person.pension_capital': 50_000 };
    const e = evaluateRule(oldAgePension, f, rb.params, DATE);
    const first = JSON.stringify(e);
    f['person.birth_date'] = '2000-01-01';
    f['person.pension_capital'] = 1;
    f['person.alive'] = false;
    assert.equal(JSON.stringify(e), first);
    assert.equal(e.trace[1]!.explanation.en, 'Has reached pension age (born 1950-02-03)');
    assert.deepEqual(e.trace[2]!.facts, { 'person.insurance_months': null, 'person.pension_capital': 50_000 });
    assert.equal(e.outcome, 'eligible');
  });

  test('the JSON of an evaluation has every part: outcome, missing, the trace, the amount step, the parameters', () => {
    const e = evaluateRule(oldAgePension, { 'person.alive': true, 'person.sex': 'M', 'person.birth_date': '1950-01-01', 'person.insurance_months': null, 'person.pension_capital': null }, rb.params, DATE);
    const j = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j).sort(), ['amount', 'amountStep', 'evalDate', 'missing', 'outcome', 'parameters', 'periodFrom', 'periodTo', 'ruleId', 'ruleVersion', 'trace']);
    assert.equal(j.outcome, 'cannot_decide');
    assert.deepEqual(j.missing, ['person.insurance_months', 'person.pension_capital']);
    const trace = j.trace as { condition: string; explanation: { en: string }; parameters: { name: string; sources: unknown[] }[] }[];
    assert.deepEqual(trace.map((s) => s.condition), ['alive', 'retirement_age', 'record_or_capital']);
    assert.equal(trace[2]!.explanation.en, 'Cannot decide: missing person.insurance_months, person.pension_capital');
    assert.ok(trace[2]!.parameters.every((p) => p.sources.length > 0));
    assert.deepEqual((j.amountStep as { parameters: { name: string }[] }).parameters.map((p) => p.name), ['minimum_pension', 'expected_pension_payment_months']);
  });
});

describe('generated code', () => {
  const rule = (when: Expr): Rule => ({ ...childbirthAllowance, id: 'x-rule "weird"', conditions: [{ ...childbirthAllowance.conditions[0]!, id: 'c', when }] });

  test('text from a rule is data, never code', () => {
    const nasty = '"); globalThis.__pwned = 1; ("\\u2028`${1}`';
    const e = evaluateRule(rule(eq(fact('event.reason' as FactName), c(nasty))), { 'event.reason': nasty, 'event.date': '2026-02-10' } as Facts, rb.params, DATE);
    assert.equal(e.trace[0]!.result, true);
    assert.equal((globalThis as { __pwned?: number }).__pwned, undefined);
    assert.equal(e.outcome, 'eligible');
    assert.equal(e.ruleId, 'x-rule "weird"');
  });

  test('a long `in` list and a missing fact', () => {
    const values = Array.from({ length: 12 }, (_, i) => i + 1);
    const when = isIn(fact('event.degree'), values);
    assert.equal(evaluateRule(rule(when), { 'event.degree': 12, 'event.date': '2026-02-10' }, rb.params, DATE).trace[0]!.result, true);
    assert.equal(evaluateRule(rule(when), { 'event.degree': 13, 'event.date': '2026-02-10' }, rb.params, DATE).trace[0]!.result, false);
    const u = evaluateRule(rule(when), { 'event.date': '2026-02-10' }, rb.params, DATE);
    assert.equal(u.trace[0]!.result, null);
    assert.deepEqual(u.missing, ['event.degree']);
    assert.deepEqual(u.trace[0]!.facts, { 'event.degree': null });
  });
});
