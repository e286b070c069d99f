import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import {
  RULES, RulesLoadError, addMonthsToDate, checkRules, evaluateRule, loadRuleBook, monthsBetweenDates, parseParameterFile,
  type Facts, type RuleBook,
} from './index.ts';
import {
  childbirthAllowance, childDisabilityAllowance, disabilityAllowance, funeralAllowance, oldAgePension, targetedSocialAssistance, unemploymentInsurance, childUnderOneAllowance,
} from './benefits.ts';

let rb: RuleBook;
before(async () => { rb = await loadRuleBook(); });

describe('dates', () => {
  test('completed months: the birthday day counts, a 29 February birthday moves to 1 March', () => {
    assert.equal(monthsBetweenDates('1961-12-20', '2026-06-20'), 774);
    assert.equal(monthsBetweenDates('1961-12-20', '2026-06-19'), 773);
    assert.equal(monthsBetweenDates('2024-02-29', '2025-02-28'), 11);
    assert.equal(monthsBetweenDates('2024-02-29', '2025-03-01'), 12);
    assert.equal(monthsBetweenDates('2024-02-29', '2028-02-29'), 48);
  });
  test('adding months clamps to the end of the month', () => {
    assert.equal(addMonthsToDate('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonthsToDate('2024-02-29', 12), '2025-02-28');
    assert.equal(addMonthsToDate('2026-11-15', 14), '2028-01-15');
  });
});

describe('parameters', () => {
  test('the value in force on a date; nothing before the first value', () => {
    assert.equal(rb.params.at('need_criterion', '2025-12-31')?.value, 285);
    assert.equal(rb.params.at('need_criterion', '2026-01-01')?.value, 300);
    assert.equal(rb.params.at('childbirth_allowance', '2025-06-30'), undefined);
    assert.equal(rb.params.at('unemployment_ceiling', '2026-01-01')?.unconfirmed, true);
  });
  test('a parameter changed mid-month applies from that day, not from the 1st', () => {
    const p = rb.params.withOverride('childbirth_allowance', '2026-03-15', 700);
    const facts: Facts = { 'beneficiary.known': true, 'event.stillbirth': false, 'event.date': '2026-03-14' };
    assert.equal(evaluateRule(childbirthAllowance, facts, p, '2026-04-01').amount, 600);
    assert.equal(evaluateRule(childbirthAllowance, { ...facts, 'event.date': '2026-03-15' }, p, '2026-04-01').amount, 700);
  });
});

describe('hand-computed decisions', () => {
  const birth: Facts = { 'beneficiary.known': true, 'event.stillbirth': false, 'event.date': '2026-02-10' };
  test('childbirth allowance: 600 per live birth, none for a stillbirth, none before the rule', () => {
    const e = evaluateRule(childbirthAllowance, birth, rb.params, '2026-11-01');
    assert.equal(e.outcome, 'eligible');
    assert.equal(e.amount, 600);
    assert.deepEqual(e.parameters.map(({ sources, ...p }) => ({ ...p, sources: sources.map((s) => s.id) })), [{ name: 'childbirth_allowance', value: 600, from: '2025-07-01', unconfirmed: false, sources: ['23', '24', '25'] }]);
    assert.equal(evaluateRule(childbirthAllowance, { ...birth, 'event.stillbirth': true }, rb.params, '2026-11-01').outcome, 'not_eligible');
    assert.equal(evaluateRule(childbirthAllowance, { ...birth, 'event.date': '2025-06-30' }, rb.params, '2026-11-01').outcome, 'not_eligible');
  });

  test('funeral allowance: 600 when someone can receive it', () => {
    assert.equal(evaluateRule(funeralAllowance, { 'beneficiary.known': true, 'event.date': '2026-05-01' }, rb.params, '2026-05-02').amount, 600);
    assert.equal(evaluateRule(funeralAllowance, { 'beneficiary.known': false, 'event.date': '2026-05-01' }, rb.params, '2026-05-02').outcome, 'not_eligible');
  });

  test('disability allowance by degree: 300 / 250 / 180; ends at review; not for children', () => {
    const f: Facts = { 'person.alive': true, 'person.birth_date': '1980-01-01', 'event.degree': 2, 'event.review_on': '2027-03-01', 'event.date': '2026-03-01' };
    const e = evaluateRule(disabilityAllowance, f, rb.params, '2026-11-01');
    assert.equal(e.amount, 250);
    assert.equal(e.periodTo, '2027-03-01');
    assert.equal(evaluateRule(disabilityAllowance, { ...f, 'event.degree': 1 }, rb.params, '2026-11-01').amount, 300);
    assert.equal(evaluateRule(disabilityAllowance, { ...f, 'event.degree': 3, 'event.review_on': null }, rb.params, '2026-11-01').amount, 180);
    assert.equal(evaluateRule(disabilityAllowance, { ...f, 'event.review_on': '2026-11-01' }, rb.params, '2026-11-01').outcome, 'not_eligible');
    assert.equal(evaluateRule(disabilityAllowance, { ...f, 'person.birth_date': '2010-01-01' }, rb.params, '2026-11-01').outcome, 'not_eligible');
  });

  test('child disability allowance by degree (unconfirmed 270 / 220 / 150) until the review or the 18th birthday, whichever is first', () => {
    const f: Facts = { 'person.alive': true, 'person.birth_date': '2012-04-10', 'event.degree': 2, 'event.review_on': '2031-01-01', 'event.date': '2026-03-01' };
    const e = evaluateRule(childDisabilityAllowance, f, rb.params, '2026-11-01');
    assert.equal(e.outcome, 'eligible');
    assert.equal(e.amount, 220);
    assert.equal(e.periodTo, '2030-04-10', 'the 18th birthday comes before the review');
    assert.equal(evaluateRule(childDisabilityAllowance, { ...f, 'event.review_on': '2027-01-15' }, rb.params, '2026-11-01').periodTo, '2027-01-15');
    assert.equal(evaluateRule(childDisabilityAllowance, { ...f, 'event.review_on': null, 'event.degree': 1 }, rb.params, '2026-11-01').amount, 270);
    assert.ok(evaluateRule(childDisabilityAllowance, f, rb.params, '2026-11-01').parameters.every((p) => p.name !== 'child_disability_allowance_degree_2' || p.unconfirmed));
    // The day before the 18th birthday a child; on the day an adult: the child allowance stops, the adult one applies.
    const teen = { ...f, 'person.birth_date': '2008-11-01' };
    assert.equal(evaluateRule(childDisabilityAllowance, teen, rb.params, '2026-10-31').outcome, 'eligible');
    assert.equal(evaluateRule(childDisabilityAllowance, teen, rb.params, '2026-11-01').outcome, 'not_eligible');
    assert.equal(evaluateRule(disabilityAllowance, teen, rb.params, '2026-11-01').outcome, 'eligible');
    assert.equal(evaluateRule(disabilityAllowance, teen, rb.params, '2026-10-31').outcome, 'not_eligible');
  });

  test('old-age pension: a woman reaches 64y6m on her birthday; from 1 July 2026 she needs 65', () => {
    const f: Facts = { 'person.alive': true, 'person.sex': 'F', 'person.birth_date': '1961-12-20', 'person.insurance_months': 310, 'person.pension_capital': null };
    assert.equal(evaluateRule(oldAgePension, f, rb.params, '2026-06-19').outcome, 'not_eligible');
    const e = evaluateRule(oldAgePension, f, rb.params, '2026-06-20');
    assert.equal(e.outcome, 'eligible');
    assert.equal(e.amount, 320);
    // Born a day later, she would be 64y6m only after the age went up to 65.
    assert.equal(evaluateRule(oldAgePension, { ...f, 'person.birth_date': '1962-01-01' }, rb.params, '2026-07-01').outcome, 'not_eligible');
    // Men: 65.
    assert.equal(evaluateRule(oldAgePension, { ...f, 'person.sex': 'M', 'person.birth_date': '1961-06-20' }, rb.params, '2026-06-20').outcome, 'eligible');
  });

  test('old-age pension: capital instead of record (minimum pension × 144 = 46,080); missing both → cannot decide', () => {
    const f: Facts = { 'person.alive': true, 'person.sex': 'M', 'person.birth_date': '1950-01-01', 'person.insurance_months': 100, 'person.pension_capital': 46_080 };
    assert.equal(evaluateRule(oldAgePension, f, rb.params, '2026-11-01').outcome, 'eligible');
    assert.equal(evaluateRule(oldAgePension, { ...f, 'person.pension_capital': 46_079.99 }, rb.params, '2026-11-01').outcome, 'not_eligible');
    const e = evaluateRule(oldAgePension, { ...f, 'person.insurance_months': null, 'person.pension_capital': null }, rb.params, '2026-11-01');
    assert.equal(e.outcome, 'cannot_decide');
    assert.deepEqual(e.missing.sort(), ['person.insurance_months', 'person.pension_capital']);
    assert.match(e.trace[2]!.explanation.en, /Cannot decide: missing person\.insurance_months/);
    // A definite "no" is still a no when another fact is missing.
    assert.equal(evaluateRule(oldAgePension, { ...f, 'person.birth_date': '1990-01-01', 'person.insurance_months': null, 'person.pension_capital': null }, rb.params, '2026-11-01').outcome, 'not_eligible');
  });

  test('targeted social assistance: criterion × size − income; income exactly at the criterion gives nothing; no income → cannot decide', () => {
    const f: Facts = { 'beneficiary.known': true, 'household.size': 5, 'household.monthly_income': 900 };
    const e = evaluateRule(targetedSocialAssistance, f, rb.params, '2026-03-10');
    assert.equal(e.amount, 600); // the ministry's worked example for 2026
    assert.equal(e.periodFrom, '2026-03-01');
    assert.equal(e.periodTo, '2027-03-01');
    assert.equal(evaluateRule(targetedSocialAssistance, f, rb.params, '2025-12-31').amount, 525); // 285 × 5 − 900
    assert.equal(evaluateRule(targetedSocialAssistance, { ...f, 'household.monthly_income': 1500 }, rb.params, '2026-03-10').outcome, 'not_eligible');
    assert.equal(evaluateRule(targetedSocialAssistance, { ...f, 'household.monthly_income': 1499.99 }, rb.params, '2026-03-10').amount, 0.01);
    const m = evaluateRule(targetedSocialAssistance, { ...f, 'household.monthly_income': null }, rb.params, '2026-03-10');
    assert.equal(m.outcome, 'cannot_decide');
    assert.deepEqual(m.missing, ['household.monthly_income']);
  });

  test('child under one: 140 a month in a TSA family until the first birthday (a 29 February child turns one on 1 March)', () => {
    const f: Facts = { 'beneficiary.known': true, 'child.alive': true, 'child.birth_date': '2028-02-29', 'household.receives_tsa': true };
    const e = evaluateRule(childUnderOneAllowance, f, rb.params, '2028-06-01');
    assert.equal(e.amount, 140);
    assert.equal(e.periodTo, '2029-03-01');
    assert.equal(evaluateRule(childUnderOneAllowance, { ...f, 'child.birth_date': '2026-01-31' }, rb.params, '2026-06-01').periodTo, '2027-01-31');
    assert.equal(evaluateRule(childUnderOneAllowance, f, rb.params, '2029-02-28').outcome, 'eligible');
    assert.equal(evaluateRule(childUnderOneAllowance, f, rb.params, '2029-03-01').outcome, 'not_eligible');
    const g = { ...f, 'child.birth_date': '2025-10-31' };
    assert.equal(evaluateRule(childUnderOneAllowance, g, rb.params, '2026-10-30').outcome, 'eligible');
    assert.equal(evaluateRule(childUnderOneAllowance, g, rb.params, '2026-10-31').outcome, 'not_eligible');
    assert.equal(evaluateRule(childUnderOneAllowance, { ...g, 'household.receives_tsa': false }, rb.params, '2026-05-01').outcome, 'not_eligible');
  });

  test('unemployment insurance: 50 % of the wage between the minimum wage and the ceiling, +5 % per child up to 20 %', () => {
    const f: Facts = {
      'person.alive': true, 'event.reason': 'staff_cut', 'event.date': '2026-09-15', 'event.average_wage': 1000,
      'person.insurance_months': 30, 'person.dependent_children': 0, 'person.birth_date': '1985-01-01',
    };
    const at = (x: Facts) => evaluateRule(unemploymentInsurance, { ...f, ...x }, rb.params, '2026-11-01');
    assert.equal(at({}).amount, 500);
    assert.equal(at({ 'person.dependent_children': 2 }).amount, 550);
    assert.equal(at({ 'event.average_wage': 600 }).amount, 400); // floor: minimum wage
    assert.equal(at({ 'event.average_wage': 3000 }).amount, 933.8); // ceiling
    assert.equal(at({ 'event.average_wage': 3000, 'person.dependent_children': 5 }).amount, 1120.56); // +20 % cap
    assert.equal(at({ 'event.reason': 'resignation' }).outcome, 'not_eligible');
    assert.equal(at({ 'person.insurance_months': 11 }).outcome, 'not_eligible');
    assert.equal(at({ 'person.insurance_months': 12 }).outcome, 'eligible');
    assert.equal(at({ 'event.date': '2026-05-01' }).outcome, 'not_eligible'); // six months have passed
    const m = at({ 'event.average_wage': null });
    assert.equal(m.outcome, 'cannot_decide');
    assert.deepEqual(m.missing, ['event.average_wage']);
    assert.equal(m.trace.length, 4);
  });

  test('the trace names each condition, its facts, the parameters with their dates, and the law', () => {
    const e = evaluateRule(targetedSocialAssistance, { 'beneficiary.known': true, 'household.size': 3, 'household.monthly_income': 500 }, rb.params, '2026-03-10');
    const step = e.trace.find((t) => t.condition === 'income_below_need')!;
    assert.equal(step.result, true);
    assert.deepEqual(step.facts, { 'household.monthly_income': 500, 'household.size': 3 });
    assert.deepEqual(step.parameters, [{ name: 'need_criterion', value: 300, from: '2026-01-01', unconfirmed: false, sources: [{ id: '18', title: 'Menafn: need criterion 2026', url: 'https://menafn.com/1110534831' }] }]);
    assert.match(step.legal, /Targeted State Social Assistance/);
    assert.equal(step.explanation.en, 'The family\'s average monthly income (500 AZN) is below the need criterion (300 × 3)');
    assert.match(step.explanation.az, /ehtiyac meyarından \(300 × 3\)/);
  });
});

describe('loading: a broken rule or parameter file fails with the file, the path and the problem', () => {
  test('the production rules and parameters load', () => {
    assert.equal(rb.byId.size, RULES.length);
    assert.deepEqual(checkRules(RULES, rb.params, 'x'), []);
  });

  test('a rule reading an unknown fact or parameter, or comparing a date with a number, is refused', () => {
    const bad = [
      { ...childbirthAllowance, amount: { param: 'no_such_parameter' } },
      { ...childbirthAllowance, id: 'x_rule', conditions: [{ ...childbirthAllowance.conditions[0]!, when: { op: 'ge', args: [{ fact: 'event.date' }, { const: 3 }] } }] },
      { ...funeralAllowance, id: 'y_rule', conditions: [{ ...funeralAllowance.conditions[0]!, when: { fact: 'household.size' } }] },
      { ...funeralAllowance, id: 'z_rule', triggers: ['wedding'] },
    ];
    const problems = checkRules(bad, rb.params, 'rules.json');
    assert.deepEqual(problems.map((p) => `${p.file} ${p.path}: ${p.problem}`), [
      'rules.json /0/amount: unknown parameter no_such_parameter',
      'rules.json /1/conditions/0/when: cannot compare date with number',
      'rules.json /2/conditions/0/when: fact household.size is not available for subject death',
      'rules.json /3/triggers/0: unknown life-event type wedding',
    ]);
  });

  test('a parameter file with a bad value reports the file, the JSON path and the line', () => {
    const text = JSON.stringify({
      meta: { title: 't', description: 'd', sources: [{ id: '1', title: 's' }] },
      parameters: { need_criterion: { unit: 'AZN', description: 'd', values: [{ from: '2026-01-01', value: 'three hundred', source_ids: ['1'] }] } },
    }, null, 2);
    const r = parseParameterFile('data/parameters/x.json', text);
    assert.equal(r.problems[0]!.file, 'data/parameters/x.json');
    assert.equal(r.problems[0]!.path, '/parameters/need_criterion/values/0/value');
    assert.equal(r.problems[0]!.line, text.split('\n').findIndex((l) => l.includes('three hundred')) + 1);
    const order = parseParameterFile('p.json', JSON.stringify({
      meta: { title: 't', description: 'd', sources: [{ id: '1', title: 's' }] },
      parameters: { a: { unit: 'AZN', description: 'd', values: [{ from: '2026-01-01', value: 1, source_ids: ['1'] }, { from: '2025-02-30', value: 2, source_ids: ['9'] }] } },
    }));
    assert.deepEqual(order.problems.map((p) => p.problem), ['not a calendar date: 2025-02-30', 'values must be in increasing date order', 'unknown source id 9']);
    assert.match(parseParameterFile('q.json', '{ "meta": ').problems[0]!.problem, /JSON/);
  });

  test('loadRuleBook throws RulesLoadError listing the problems', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dost-params-'));
    try {
      await writeFile(path.join(dir, 'a.json'), '{"meta": {"title": "t"}, "parameters": {}}');
      await assert.rejects(loadRuleBook({ parametersDir: dir }), (e: unknown) => e instanceof RulesLoadError && /a\.json/.test(e.message) && /description/.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('explanations fill every placeholder from the facts and parameters', () => {
  const birth: Facts = { 'beneficiary.known': true, 'event.stillbirth': false, 'event.date': '2026-02-10' };
  const ev = evaluateRule(childbirthAllowance, birth, rb.params, '2026-11-01');
  assert.ok(ev.trace.length > 0);
  for (const step of ev.trace) {
    for (const text of Object.values(step.explanation)) assert.doesNotMatch(text, /\{[a-z_.]+\}/, `${step.condition}: ${text}`);
  }
  assert.ok(ev.trace.some((s) => s.explanation.en.includes('2026-02-10')), 'the birth date appears in the explanation');
});
