/**
 * Per-citizen evaluation with a trace: dost's JS evaluator against json-rules-engine and
 * publicodes evaluating the same conditions (old-age pension: alive, retirement age by sex,
 * insurance record or pension capital) over the same citizens, in the same run.
 *
 *   node --import tsx bench/rules-eval.ts [--citizens 20000] [--rounds 3]
 *
 * Each engine returns, per citizen, the outcome and what each condition gave (dost: its trace;
 * json-rules-engine: the rule result with its evaluated conditions; publicodes: the evaluated
 * node with its explanation). Outcomes, and dost's trace against json-rules-engine's evaluated
 * conditions, are checked equal before timing counts. dost builds its trace objects when they are
 * first read (the values are kept during evaluation), so a last line times dost with the whole
 * trace read.
 */
import { performance } from 'node:perf_hooks';
import { Engine } from 'json-rules-engine';
import Publicodes from 'publicodes';
import { oldAgePension } from '../src/rules/benefits.ts';
import { evaluateRule, loadRuleBook, monthsBetweenDates, type Facts } from '../src/rules/index.ts';
import { numberArg, parseArgs } from './lib.ts';

const args = parseArgs();
const N = numberArg(args, 'citizens', 20_000);
const ROUNDS = numberArg(args, 'rounds', 3);
const TODAY = '2026-11-01';

const rb = await loadRuleBook();
const P = (name: string) => rb.params.at(name, TODAY)!.value;
const MEN = P('retirement_age_months_men');
const WOMEN = P('retirement_age_months_women');
const RECORD = P('minimum_insurance_record_months');
const CAPITAL = P('minimum_pension') * P('pension_capital_months');

// The same citizens for every engine (deterministic).
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const citizens: Facts[] = Array.from({ length: N }, () => {
  const y = 1935 + Math.floor(rnd() * 70);
  return {
    'person.alive': rnd() > 0.05,
    'person.sex': rnd() < 0.5 ? 'M' : 'F',
    'person.birth_date': `${y}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
    'person.insurance_months': Math.floor(rnd() * 540),
    'person.pension_capital': Math.round(rnd() * 80_000),
  };
});
const ageOf = (f: Facts) => monthsBetweenDates(f['person.birth_date'] as string, TODAY);

// dost
const dost = (f: Facts) => evaluateRule(oldAgePension, f, rb.params, TODAY).outcome === 'eligible';
// dost, with the trace read: the trace objects are built when first read, so this is the cost when
// someone asks why (every step's facts, parameters, law and English text, and the amount step).
const dostTraceRead = (f: Facts) => {
  const e = evaluateRule(oldAgePension, f, rb.params, TODAY);
  let n = 0;
  for (const s of e.trace) n += Object.keys(s.facts).length + s.parameters.length + s.legal.length + s.explanation.en.length;
  n += e.amountStep!.parameters.length + e.amountStep!.explanation.en.length;
  return n > 0 && e.outcome === 'eligible';
};

// json-rules-engine: the same three conditions; the age is a dynamic fact computed from the birth date.
const engine = new Engine([], { allowUndefinedFacts: false });
engine.addFact('ageMonths', async (_p, almanac) => monthsBetweenDates(await almanac.factValue<string>('birthDate'), TODAY));
engine.addRule({
  conditions: {
    all: [
      { fact: 'alive', operator: 'equal', value: true },
      { any: [
        { all: [{ fact: 'sex', operator: 'equal', value: 'M' }, { fact: 'ageMonths', operator: 'greaterThanInclusive', value: MEN }] },
        { all: [{ fact: 'sex', operator: 'equal', value: 'F' }, { fact: 'ageMonths', operator: 'greaterThanInclusive', value: WOMEN }] },
      ] },
      { any: [
        { fact: 'insuranceMonths', operator: 'greaterThanInclusive', value: RECORD },
        { fact: 'pensionCapital', operator: 'greaterThanInclusive', value: CAPITAL },
      ] },
    ],
  },
  event: { type: 'old_age_pension', params: { amount: P('minimum_pension') } },
});
const jre = async (f: Facts) => {
  const r = await engine.run({
    alive: f['person.alive'], sex: f['person.sex'], birthDate: f['person.birth_date'],
    insuranceMonths: f['person.insurance_months'], pensionCapital: f['person.pension_capital'],
  });
  return r.results.length > 0;
};

// publicodes: the same rule in its language; the age in months is given as an input.
const pub = new Publicodes({
  'personne': null,
  'personne . vivante': { valeur: 'oui' },
  'personne . homme': { valeur: 'oui' },
  'personne . âge en mois': { valeur: 0 },
  'personne . durée assurance': { valeur: 0 },
  'personne . capital': { valeur: 0 },
  'pension': null,
  'pension . âge légal': { variations: [{ si: 'personne . homme', alors: MEN }, { sinon: WOMEN }] },
  'pension . éligible': {
    'toutes ces conditions': [
      'personne . vivante',
      'personne . âge en mois >= âge légal',
      { 'une de ces conditions': [`personne . durée assurance >= ${RECORD}`, `personne . capital >= ${CAPITAL}`] },
    ],
  },
} as never, { logger: { log() {}, warn() {}, error() {} } } as never);
const publicodes = (f: Facts) => {
  pub.setSituation({
    'personne . vivante': f['person.alive'] ? 'oui' : 'non',
    'personne . homme': f['person.sex'] === 'M' ? 'oui' : 'non',
    'personne . âge en mois': ageOf(f),
    'personne . durée assurance': f['person.insurance_months'] as number,
    'personne . capital': f['person.pension_capital'] as number,
  } as never);
  return pub.evaluate('pension . éligible').nodeValue === true;
};

// Same answers first; and dost's trace gives, condition by condition, what json-rules-engine's
// evaluated conditions give (its three top-level conditions are dost's three).
for (const f of citizens.slice(0, 2000)) {
  const a = dost(f); const b = await jre(f); const c = publicodes(f);
  if (a !== b || a !== c) throw new Error(`engines disagree on ${JSON.stringify(f)}: dost ${a}, json-rules-engine ${b}, publicodes ${c}`);
  const steps = evaluateRule(oldAgePension, f, rb.params, TODAY).trace.map((s) => s.result);
  const run = await engine.run({
    alive: f['person.alive'], sex: f['person.sex'], birthDate: f['person.birth_date'],
    insuranceMonths: f['person.insurance_months'], pensionCapital: f['person.pension_capital'],
  });
  const conditions = [...run.results, ...run.failureResults][0]!.conditions as unknown as { all: { result?: boolean }[] };
  const theirs = conditions.all.map((x) => x.result);
  if (steps.join() !== theirs.join()) throw new Error(`traces disagree on ${JSON.stringify(f)}: dost ${steps.join()}, json-rules-engine ${theirs.join()}`);
}

async function measure(name: string, fn: (f: Facts) => unknown): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    if (name === 'json-rules-engine') for (const f of citizens) await fn(f);
    else for (const f of citizens) fn(f);
    best = Math.min(best, performance.now() - t);
  }
  const perSec = N / (best / 1000);
  process.stdout.write(`${name.padEnd(18)} ${Math.round(perSec).toLocaleString('en')} evaluations/s (${((best * 1000) / N).toFixed(2)} µs each, best of ${ROUNDS})\n`);
  return perSec;
}

process.stdout.write(`${N.toLocaleString('en')} citizens, old-age pension at ${TODAY}, node ${process.version}\n`);
const d = await measure('dost (with trace)', dost);
const j = await measure('json-rules-engine', jre);
const p = await measure('publicodes', publicodes);
const t = await measure('dost, trace read', dostTraceRead);
process.stdout.write(`dost / json-rules-engine = ${(d / j).toFixed(0)}x; dost / publicodes = ${(d / p).toFixed(1)}x\n`);
process.stdout.write(`with the trace read: dost / json-rules-engine = ${(t / j).toFixed(0)}x; dost / publicodes = ${(t / p).toFixed(1)}x\n`);
